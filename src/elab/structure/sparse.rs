//! ACT's sparse arrays: an array (of instances or of variables) declared again under its
//! name with other indices (`bool x[0..3]; bool x[4..7];`) gains those elements.
//!
//! chpsim holds an array as one block of indices (a [`Shape`]): a declaration that extends
//! the first dimension at either end, the other dimensions alike, joins the block. As in ACT,
//! the extension must have as many dimensions as the array, and may not overlap the elements
//! it has; an extension apart from the block (a gap between them) is accepted but its elements
//! cannot be named yet.

use crate::elab::types::Shape;

/// The block `old` extended by the declaration of `new` (of the array `name`): the joined
/// block and whether `new` comes before `old` (`None`: apart, not joined); `Err` says why
/// ACT rejects the extension.
pub(crate) fn extend(
    old: &Shape,
    new: &Shape,
    name: &str,
) -> Result<Option<(Shape, bool)>, String> {
    if old.rank() != new.rank() {
        return Err(format!(
            "this extends the array `{name}` of {} dimension(s) with {} dimension(s)",
            old.rank(),
            new.rank()
        ));
    }
    let range = |s: &Shape| -> String {
        (s.dims().iter())
            .map(|&(lo, len)| format!("[{lo}..{}]", lo + len as i64 - 1))
            .collect()
    };
    let overlaps = (old.dims().iter().zip(new.dims())).all(|(&(a, n), &(b, m))| {
        let (a_hi, b_hi) = (a + n as i64 - 1, b + m as i64 - 1);
        a <= b_hi && b <= a_hi
    });
    if overlaps && old.len() > 0 && new.len() > 0 {
        return Err(format!(
            "`{name}{}` overlaps the elements `{name}` has already ({name}{})",
            range(new),
            range(old)
        ));
    }
    let (Some(&(old_lo, old_len)), Some(&(lo, len))) = (old.dims().first(), new.dims().first())
    else {
        return Ok(None);
    };
    if old.dims()[1..] != new.dims()[1..] {
        return Ok(None);
    }
    let mut dims = old.dims().to_vec();
    if lo == old_lo + old_len as i64 {
        dims[0] = (old_lo, old_len + len);
        Ok(Some((Shape::new(dims), false)))
    } else if lo + len as i64 == old_lo {
        dims[0] = (lo, old_len + len);
        Ok(Some((Shape::new(dims), true)))
    } else {
        Ok(None)
    }
}
