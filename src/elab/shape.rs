//! The bounds of an array, ACT's sparse arrays among them.
//!
//! An array declared again under its name with other indices (`bool x[0..3]; bool x[6..7];`)
//! gains those elements, as in ACT: its elements are then in several ranges (pieces), kept in
//! the order of their first indices, as ACT keeps them. A declaration that extends a piece's
//! first dimension at either end (the other dimensions alike) joins that piece, as ACT merges
//! adjacent ranges; any other makes a piece of its own. The elements are numbered piece by
//! piece, each piece row by row.

use std::rc::Rc;

/// The bounds of an array: `(lo, len)` of each dimension, outermost first (none for a
/// scalar), for each of its pieces (one unless it is sparse). Its elements are numbered row
/// by row, the last index varying fastest, as ACT lists them (`x[0][0]`, `x[0][1]`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape(Rc<Vec<Piece>>);

/// One range of indices of an array, and the number of its first element.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Piece {
    dims: Box<[(i64, usize)]>,
    start: usize,
}

impl Piece {
    fn len(&self) -> usize {
        self.dims.iter().map(|d| d.1).product()
    }

    fn lo(&self) -> i64 {
        self.dims.first().map_or(0, |d| d.0)
    }

    /// Whether every index of `indices` is within its dimension.
    fn holds(&self, indices: &[i64]) -> bool {
        (indices.iter().zip(self.dims.iter()))
            .all(|(&i, &(lo, len))| i >= lo && i - lo < len as i64)
    }

    fn overlaps(&self, other: &Piece) -> bool {
        (self.dims.iter().zip(other.dims.iter())).all(|(&(a, n), &(b, m))| {
            let (a_hi, b_hi) = (a + n as i64 - 1, b + m as i64 - 1);
            a <= b_hi && b <= a_hi
        })
    }

    /// `[lo..hi]` of each dimension.
    fn text(&self) -> String {
        (self.dims.iter())
            .map(|&(lo, len)| format!("[{lo}..{}]", lo + len as i64 - 1))
            .collect()
    }
}

impl Shape {
    pub(crate) fn new(dims: Vec<(i64, usize)>) -> Self {
        Shape(Rc::new(vec![Piece {
            dims: dims.into(),
            start: 0,
        }]))
    }

    /// The dimensions of its first piece (all of them unless it is sparse).
    pub(crate) fn dims(&self) -> &[(i64, usize)] {
        self.0.first().map_or(&[], |p| &p.dims)
    }

    /// Declared in ranges with gaps between them (ACT's sparse array).
    pub(crate) fn is_sparse(&self) -> bool {
        self.0.len() > 1
    }

    /// How many dimensions it has (0: a scalar).
    pub(crate) fn rank(&self) -> usize {
        self.dims().len()
    }

    /// How many elements it has (1 for a scalar).
    pub(crate) fn len(&self) -> usize {
        self.0.last().map_or(1, |p| p.start + p.len())
    }

    /// The first index of its outermost dimension (0 for a scalar).
    pub(crate) fn lo(&self) -> i64 {
        self.0.first().map_or(0, Piece::lo)
    }

    /// The number of elements along each dimension (of the first piece).
    pub(crate) fn sizes(&self) -> Vec<usize> {
        self.dims().iter().map(|d| d.1).collect()
    }

    /// The sizes of each piece, for a sparse array (empty for a dense one): two sparse arrays
    /// connect whole when their pieces agree in size, one by one, as in ACT.
    pub(crate) fn piece_sizes(&self) -> Vec<Vec<usize>> {
        match self.is_sparse() {
            true => (self.0.iter())
                .map(|p| p.dims.iter().map(|d| d.1).collect())
                .collect(),
            false => Vec::new(),
        }
    }

    /// The piece holding the element at `offset`.
    fn piece_at(&self, offset: usize) -> Option<&Piece> {
        let after = self.0.partition_point(|p| p.start <= offset);
        after.checked_sub(1).map(|k| &self.0[k])
    }

    /// The piece holding the element with `indices`: only the last piece starting at or before
    /// its first index can hold it when pieces do not share first indices (always so in one
    /// dimension); else the pieces before are tried too.
    fn piece_of(&self, indices: &[i64]) -> Option<&Piece> {
        let first = *indices.first()?;
        let after = self.0.partition_point(|p| p.lo() <= first);
        self.0[..after].iter().rev().find(|p| p.holds(indices))
    }

    /// The indices of the element at `offset`, as written after its name: `[1][2]`.
    pub(crate) fn suffix(&self, offset: usize) -> String {
        let Some(piece) = self.piece_at(offset) else {
            return String::new();
        };
        let mut offset = offset - piece.start;
        let mut indices = vec![0; piece.dims.len()];
        for (k, &(lo, len)) in piece.dims.iter().enumerate().rev() {
            let len = len.max(1);
            indices[k] = lo + (offset % len) as i64;
            offset /= len;
        }
        indices.iter().map(|i| format!("[{i}]")).collect()
    }

    /// The position of the element with `indices` (one per dimension), or why there is none.
    pub(crate) fn offset(&self, indices: &[i64]) -> Result<usize, String> {
        if self.is_sparse() {
            let Some(piece) = self.piece_of(indices) else {
                let at: String = indices.iter().map(|i| format!("[{i}]")).collect();
                return Err(format!(
                    "element {at} is in none of the array's ranges ({})",
                    self.ranges_text()
                ));
            };
            return Ok(piece.start + dense_offset(&piece.dims, indices)?);
        }
        dense_offset(self.dims(), indices)
    }

    /// The array's ranges as ACT's messages list them: `[0..3], [6..7]`.
    fn ranges_text(&self) -> String {
        let ranges: Vec<String> = self.0.iter().map(Piece::text).collect();
        ranges.join(", ")
    }

    /// The elements `lo ..= hi` of each dimension (`None`: one index, which drops its
    /// dimension from the result, as in ACT's `x[0..2][1]`), all in one piece: their
    /// positions, in order, and the sizes of the dimensions kept; `Err` says which bound is
    /// out of range.
    pub(crate) fn select(
        &self,
        parts: &[(i64, Option<i64>)],
    ) -> Result<(Vec<usize>, Vec<usize>), String> {
        let firsts: Vec<i64> = parts.iter().map(|p| p.0).collect();
        let piece = match self.is_sparse() {
            true => self.piece_of(&firsts).ok_or_else(|| {
                let at: String = firsts.iter().map(|i| format!("[{i}]")).collect();
                format!(
                    "element {at} is in none of the array's ranges ({})",
                    self.ranges_text()
                )
            })?,
            false => match self.0.first() {
                Some(piece) => piece,
                None => return Ok((vec![0], Vec::new())),
            },
        };
        let mut positions = vec![piece.start];
        let mut kept = Vec::new();
        let base = piece.start;
        for (&(from, to), &(lo, len)) in parts.iter().zip(piece.dims.iter()) {
            let hi = lo + len as i64 - 1;
            let last = to.unwrap_or(from);
            if from < lo || last > hi || from > last {
                return Err(match to {
                    None => format!("index {from} is out of range (valid: {lo}..{hi})"),
                    Some(to) => format!("range [{from}..{to}] is out of range (valid: {lo}..{hi})"),
                });
            }
            if to.is_some() {
                kept.push((last - from + 1) as usize);
            }
            positions = positions
                .iter()
                .flat_map(|p| {
                    (from..=last).map(move |i| (p - base) * len + (i - lo) as usize + base)
                })
                .collect();
        }
        Ok((positions, kept))
    }

    /// Each piece: its dimensions and the number of its first element.
    pub(crate) fn pieces(&self) -> impl Iterator<Item = (&[(i64, usize)], usize)> {
        self.0.iter().map(|p| (&*p.dims, p.start))
    }

    /// Adds the elements of `added` (a dense array, declared again under the array's name
    /// `name`) to this array, as ACT's sparse arrays: `Ok(at)`, the number of the first added
    /// element (the added ones are consecutive; those from `at` on before are numbered after
    /// them); `Err` says why ACT rejects the extension.
    ///
    /// The pieces are kept in order of their first indices, so a piece that `added` overlaps
    /// or joins is found by a binary search: building an array of `n` pieces costs
    /// `n log n` comparisons (and moves the pieces after an insertion).
    pub(crate) fn extend(&mut self, added: &Shape, name: &str) -> Result<usize, String> {
        if self.rank() != added.rank() {
            return Err(format!(
                "this extends the array `{name}` of {} dimension(s) with {} dimension(s)",
                self.rank(),
                added.rank()
            ));
        }
        let Some(new) = added.0.first().filter(|_| added.len() > 0).cloned() else {
            return Ok(self.len());
        };
        let pieces = Rc::make_mut(&mut self.0);
        pieces.retain(|p| p.len() > 0 || p.dims.is_empty());
        if pieces.is_empty() {
            pieces.push(Piece { start: 0, ..new });
            return Ok(0);
        }
        let (lo, hi) = (new.lo(), new.lo() + new.dims[0].1 as i64 - 1);
        let firsts = |p: &Piece| p.dims.iter().map(|d| d.0).collect::<Vec<_>>();
        let new_firsts = firsts(&new);
        let at = pieces.partition_point(|p| firsts(p) < new_firsts);
        // Pieces overlapping the new one in the first dimension: from `at` on, those starting
        // at most at its last index; before `at`, in one dimension only the one just before
        // can (pieces do not overlap), else any whose first dimension reaches it.
        let right = pieces[at..].iter().take_while(|p| p.lo() <= hi);
        let left = pieces[..at].iter().rev();
        let left: Box<dyn Iterator<Item = &Piece>> = match new.dims.len() {
            1 => Box::new(left.take(1)),
            _ => Box::new(left),
        };
        if let Some(old) = right.chain(left).find(|p| p.overlaps(&new)) {
            return Err(format!(
                "`{name}{}` overlaps the elements `{name}` has already ({name}{})",
                new.text(),
                old.text()
            ));
        }
        let same_rest = |p: &Piece| p.dims[1..] == new.dims[1..];
        let len = new.len();
        // Joins the piece it extends at the end, else the piece it extends at the start.
        let (k, start) = if at > 0 && same_rest(&pieces[at - 1]) && {
            let p = &pieces[at - 1];
            p.lo() + p.dims[0].1 as i64 == lo
        } {
            let p = &mut pieces[at - 1];
            p.dims[0].1 += new.dims[0].1;
            (at - 1, p.start + p.len() - len)
        } else if at < pieces.len() && same_rest(&pieces[at]) && pieces[at].lo() == hi + 1 {
            let p = &mut pieces[at];
            p.dims[0] = (lo, p.dims[0].1 + new.dims[0].1);
            (at, p.start)
        } else {
            let start = pieces.get(at).map_or(self_len(pieces), |p| p.start);
            pieces.insert(at, Piece { start, ..new });
            (at, start)
        };
        for p in &mut pieces[k + 1..] {
            p.start += len;
        }
        Ok(start)
    }
}

/// The number of elements of the pieces.
fn self_len(pieces: &[Piece]) -> usize {
    pieces.last().map_or(0, |p| p.start + p.len())
}

/// The position of the element with `indices` in a dense array of `dims`, or why there is none.
fn dense_offset(dims: &[(i64, usize)], indices: &[i64]) -> Result<usize, String> {
    let mut at = 0usize;
    for (&i, &(lo, len)) in indices.iter().zip(dims.iter()) {
        let k = i.checked_sub(lo).filter(|k| (0..len as i64).contains(k));
        let Some(k) = k else {
            let hi = lo + len as i64 - 1;
            return Err(format!("index {i} is out of range (valid: {lo}..{hi})"));
        };
        at = at * len + k as usize;
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::Shape;

    fn one(lo: i64, len: usize) -> Shape {
        Shape::new(vec![(lo, len)])
    }

    #[test]
    fn pieces_join_at_either_end_and_stay_apart_across_a_gap() {
        let mut x = one(0, 4);
        assert_eq!(x.extend(&one(6, 2), "x"), Ok(4));
        assert!(x.is_sparse());
        assert_eq!(x.extend(&one(-2, 2), "x"), Ok(0));
        assert_eq!(x.extend(&one(4, 1), "x"), Ok(6));
        assert_eq!(x.len(), 9);
        assert_eq!(x.piece_sizes(), [vec![7], vec![2]]);
        assert_eq!(x.offset(&[7]), Ok(8));
        assert_eq!(x.suffix(7), "[6]");
        assert_eq!(x.suffix(0), "[-2]");
        assert!(x
            .offset(&[5])
            .unwrap_err()
            .contains("none of the array's ranges"));
        assert!(x.extend(&one(3, 1), "x").unwrap_err().contains("overlaps"));
        assert!(x.extend(&one(7, 3), "x").unwrap_err().contains("overlaps"));
        assert_eq!(x.select(&[(6, Some(7))]), Ok((vec![7, 8], vec![2])));
    }

    #[test]
    fn pieces_of_two_dimensions_overlap_only_in_both() {
        let mut x = Shape::new(vec![(0, 2), (0, 2)]);
        assert_eq!(x.extend(&Shape::new(vec![(0, 2), (3, 2)]), "x"), Ok(4));
        assert_eq!(x.offset(&[1, 4]), Ok(7));
        assert_eq!(x.suffix(5), "[0][4]");
        let overlap = x.extend(&Shape::new(vec![(1, 1), (1, 3)]), "x");
        assert!(overlap.unwrap_err().contains("overlaps"));
    }
}
