//! What `chpsim actsim` reads its commands from, when it is not a plain script: a line too long
//! to be a command (`< /dev/zero`), a file that never ends (`source /dev/zero`), bytes that are
//! not UTF-8; and a `logfile` that cannot be written.
use crate::common::cli::{actsim_script, stderr, stdout};

/// A process that logs three lines.
const LOGGER: &str = "
defproc test() { int<4> i; chp { i := 0; *[ i < 3 -> log(\"line \", i); i := i + 1 ] } }
";

#[test]
fn a_command_line_longer_than_a_mebibyte_stops_the_commands_with_an_error() {
    // Read whole, such a line (`< /dev/zero`) would fill the memory.
    let mut script = b"echo first\n".to_vec();
    script.extend(std::iter::repeat_n(b'x', 2 << 20));
    script.extend(b"\necho never\n");
    let o = actsim_script(LOGGER, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stdout(&o), "first\n");
    assert_eq!(
        stderr(&o).lines().last(),
        Some("Error: a command line longer than 1048576 bytes; the commands stop here")
    );
}

#[test]
fn source_of_a_file_that_never_ends_stops_at_its_first_long_line() {
    let o = actsim_script(LOGGER, &["d.act", "test"], "source /dev/zero\necho after\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "after\n");
    assert_eq!(
        stderr(&o).lines().last(),
        Some("Error: a line of `/dev/zero' is longer than 1048576 bytes; the file stops there")
    );
}

#[test]
fn bytes_that_are_not_utf8_do_not_end_the_commands() {
    // They used to end the script without a word; actsim passes them on.
    let dir = tempfile::tempdir().unwrap();
    let sourced = dir.path().join("s.scr");
    std::fs::write(&sourced, b"echo in \xfe file\r\necho last").unwrap();
    let mut script = b"echo a\xffb\nsource ".to_vec();
    script.extend(sourced.to_str().unwrap().as_bytes());
    script.extend(b"\necho next\n");
    let o = actsim_script(LOGGER, &["d.act", "test"], script);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The carriage return, as actsim's reader takes it, replaces the `e` before it.
    assert_eq!(stdout(&o), "a\u{FFFD}b\nin \u{FFFD} fil\r\nlast\nnext\n");
}

#[test]
fn a_logfile_that_cannot_be_written_is_named_in_the_output_error() {
    let o = actsim_script(LOGGER, &["d.act", "test"], "logfile /dev/full\ncycle\n");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "output error: cannot write the simulation's output: the log file `/dev/full`: "
        ),
        "{}",
        stderr(&o)
    );
}
