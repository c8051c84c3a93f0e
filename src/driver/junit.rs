//! `chpsim check --junit FILE`: the checks as a JUnit XML report, the format CI systems
//! display (one test case per design; a failure carries the transcript's diff as its text).
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::check::{CheckFailure, DesignCheck, Verdict};
use super::outputs::{failed_output, OutputFile};
use super::DriverError;

/// The name of the report, of its one test suite, and the class name of its test cases.
const SUITE: &str = "chpsim check";

/// The report on `checks` (in their order), which took `time` in all.
pub fn junit_report(checks: &[DesignCheck], time: Duration) -> Report {
    let mut suite = TestSuite::new(SUITE);
    suite.set_time(time);
    suite.add_test_cases(checks.iter().map(test_case));
    let mut report = Report::new(SUITE);
    report.set_time(time).add_test_suite(suite);
    report
}

/// A failed check is a JUnit `failure` (the message says why, the text is the diff); a design
/// that could not be checked (bad input) is an `error`.
fn test_case(check: &DesignCheck) -> TestCase {
    let status = match &check.verdict {
        Verdict::Passed => TestCaseStatus::success(),
        Verdict::Failed(failure) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let reason = failure.to_string();
            status.set_message(reason.as_str());
            status.set_description(match failure {
                CheckFailure::Differs { diff, .. } => diff.as_str(),
                _ => reason.as_str(),
            });
            status
        }
        Verdict::Invalid(_) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            let errors = check.errors();
            let first = errors.lines().next().unwrap_or_default();
            status.set_message(first.strip_prefix("error: ").unwrap_or(first));
            status.set_description(errors.as_str());
            status
        }
    };
    let mut case = TestCase::new(check.design.display().to_string(), status);
    case.set_classname(SUITE).set_time(check.time);
    case
}

/// The report's file: created before the checks run (so that an unwritable path fails before
/// any work), and written whole or not at all.
#[derive(Debug)]
pub struct JunitFile {
    file: OutputFile,
}

impl JunitFile {
    /// Creates the report's file at `path` (in place when [`JunitFile::write`] is done).
    pub fn create(path: &Path) -> Result<Self, DriverError> {
        Ok(Self {
            file: OutputFile::create(path)?,
        })
    }

    /// Writes `report` into the file and moves it into place.
    pub fn write(self, report: &Report) -> Result<(), DriverError> {
        let mut out = BufWriter::new(self.file.writer()?);
        let written = (report.serialize(&mut out))
            .map_err(io::Error::other)
            .and_then(|_| out.flush());
        if let Err(source) = written {
            let (path, source) =
                failed_output(&source).unwrap_or((self.file.path().into(), source));
            return Err(DriverError::Output { path, source });
        }
        drop(out);
        self.file.commit()
    }
}
