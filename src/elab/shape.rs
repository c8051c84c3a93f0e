//! The bounds of an array, ACT's sparse arrays among them.
//!
//! An array declared again under its name with other indices (`bool x[0..3]; bool x[6..7];`)
//! gains those elements, as in ACT: its elements are then in several ranges (pieces), in the
//! order ACT's `Array::Merge` keeps them. A declaration that differs from a piece in one
//! dimension only, where it extends it at either end, joins that piece (`x[0..1][0..1]` and
//! `x[0..1][2..3]` make `x[0..1][0..3]`); one that shares a piece's indices in some
//! dimensions but not all splits the pieces, so that any two pieces are apart in the first
//! dimension where they differ; any other makes a piece of its own. The elements are
//! numbered piece by piece, each piece row by row.

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

    /// The first and last index of dimension `d`.
    fn bounds(&self, d: usize) -> (i64, i64) {
        let (lo, len) = self.dims[d];
        (lo, lo + len as i64 - 1)
    }

    /// Makes dimension `d` run from `lo` to `hi`.
    fn set_bounds(&mut self, d: usize, (lo, hi): (i64, i64)) {
        self.dims[d] = (lo, (hi - lo + 1) as usize);
    }

    /// A copy whose dimension `d` runs from `lo` to `hi`.
    fn with_bounds(&self, d: usize, bounds: (i64, i64)) -> Piece {
        let mut p = self.clone();
        p.set_bounds(d, bounds);
        p
    }

    /// The indices of its element `k` (counted row by row from its first).
    fn indices(&self, mut k: usize) -> Vec<i64> {
        let mut indices = vec![0; self.dims.len()];
        for (at, &(lo, len)) in indices.iter_mut().zip(self.dims.iter()).rev() {
            let len = len.max(1);
            *at = lo + (k % len) as i64;
            k /= len;
        }
        indices
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

    /// The piece holding the element with `indices` (pieces do not overlap). In one
    /// dimension the pieces are in order of their indices, so it is found by a binary search;
    /// in more, a split or a join may leave them out of that order (as in ACT), so each
    /// piece is tried in turn, as ACT's `Array::Offset` does.
    fn piece_of(&self, indices: &[i64]) -> Option<&Piece> {
        let first = *indices.first()?;
        if indices.len() == 1 {
            let k = self.0.partition_point(|p| p.bounds(0).1 < first);
            return self.0.get(k).filter(|p| p.holds(indices));
        }
        self.0.iter().find(|p| p.holds(indices))
    }

    /// The indices of the element at `offset`, as written after its name: `[1][2]`.
    pub(crate) fn suffix(&self, offset: usize) -> String {
        (self.indices(offset).iter())
            .map(|i| format!("[{i}]"))
            .collect()
    }

    /// The indices of the element at `offset`, outermost first (none for a scalar).
    pub(crate) fn indices(&self, offset: usize) -> Vec<i64> {
        let Some(piece) = self.piece_at(offset) else {
            return Vec::new();
        };
        piece.indices(offset - piece.start)
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
                let what = match to {
                    None => format!("index {from}"),
                    Some(to) => format!("range [{from}..{to}]"),
                };
                return Err(match self.is_sparse() {
                    // ACT: "Dereference out of range or crosses a sparse boundary".
                    true => format!(
                        "{what} is out of range or crosses from one of the array's ranges to another ({})",
                        self.ranges_text()
                    ),
                    false => format!("{what} is out of range (valid: {lo}..{hi})"),
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
    /// `name`) to this array, as ACT's sparse arrays (`Array::Merge`); `Err` says why ACT
    /// rejects the extension. [`Shape::sources`] tells where each element went.
    ///
    /// As ACT, the pieces are walked in order: the first that `added` extends in its only
    /// differing dimension grows; `added` goes before the first piece it precedes in the first
    /// dimension where they differ; a piece it partly shares indices with is split. In one
    /// dimension the pieces stay in order of their indices, so the walk starts at the piece
    /// found by a binary search (`n log n` comparisons for an array of `n` pieces).
    pub(crate) fn extend(&mut self, added: &Shape, name: &str) -> Result<(), String> {
        if self.rank() != added.rank() {
            return Err(format!(
                "this extends the array `{name}` of {} dimension(s) with {} dimension(s)",
                self.rank(),
                added.rank()
            ));
        }
        let Some(new) = added.0.first().filter(|_| added.len() > 0).cloned() else {
            return Ok(());
        };
        let pieces = Rc::make_mut(&mut self.0);
        pieces.retain(|p| p.len() > 0 || p.dims.is_empty());
        let one_dimension = new.dims.len() == 1;
        // In one dimension, the pieces before the first one reaching `new`'s first index less
        // one neither overlap it nor meet it: ACT's walk passes them by.
        let first = match one_dimension {
            true => pieces.partition_point(|p| p.bounds(0).1 + 1 < new.bounds(0).0),
            false => 0,
        };
        let overlapping = match one_dimension {
            true => pieces[first..].iter().take(2).find(|p| p.overlaps(&new)),
            false => pieces.iter().find(|p| p.overlaps(&new)),
        };
        if let Some(old) = overlapping {
            return Err(format!(
                "`{name}{}` overlaps the elements `{name}` has already ({name}{})",
                new.text(),
                old.text()
            ));
        }
        merge(pieces, first, new);
        let mut start = 0;
        for p in pieces.iter_mut() {
            p.start = start;
            start += p.len();
        }
        Ok(())
    }

    /// Where each element of this array, `before` extended by `added` ([`Shape::extend`]),
    /// comes from: its number in `before`, or `before.len()` plus its number in `added`.
    pub(crate) fn sources(&self, before: &Shape, added: &Shape) -> Vec<usize> {
        let mut sources = Vec::with_capacity(self.len());
        let added_piece = added.0.first();
        for piece in self.0.iter() {
            for k in 0..piece.len() {
                let indices = piece.indices(k);
                let from = match added_piece.filter(|p| p.holds(&indices)) {
                    Some(p) => Some(before.len() + dense_offset(&p.dims, &indices).unwrap_or(0)),
                    None => (before.piece_of(&indices))
                        .map(|p| p.start + dense_offset(&p.dims, &indices).unwrap_or(0)),
                };
                sources.extend(from);
            }
        }
        sources
    }
}

/// ACT's merge of the piece `new` (overlapping none) into `pieces`, walking them from `first`.
fn merge(pieces: &mut Vec<Piece>, first: usize, new: Piece) {
    let rank = new.dims.len();
    let mut k = first;
    while let Some(old) = pieces.get_mut(k) {
        let Some(d) = (0..rank).find(|&d| old.dims[d] != new.dims[d]) else {
            return;
        };
        let only = (d + 1..rank).all(|e| old.dims[e] == new.dims[e]);
        let (a, t) = (new.bounds(d), old.bounds(d));
        if only && a.0 == t.1 + 1 {
            old.set_bounds(d, (t.0, a.1));
            return;
        }
        if only && t.0 == a.1 + 1 {
            old.set_bounds(d, (a.0, t.1));
            return;
        }
        if a.1 < t.0 {
            pieces.insert(k, new);
            return;
        }
        if a.0 > t.1 {
            k += 1;
            continue;
        }
        return split(pieces, k, d, new);
    }
    pieces.push(new);
}

/// ACT's split of `pieces[k]` and `new`, which share the indices of the dimensions before
/// `d` and partly those of `d`: the part of each before the other's first index of `d`
/// stays (`pieces[k]`), the rest follows, the indices both have in `d` split further in the
/// next dimension where the two differ; each part right after `pieces[k]` in turn (so the
/// later ones come first), as ACT inserts them.
///
/// Where the two start apart in `d`, ACT's `_merge_range` frees the range it is merging and
/// goes on reading it (its result is undefined); here the merge goes on as its comment lays
/// it out: the first part stays, the rest is merged with the part split off.
fn split(pieces: &mut Vec<Piece>, mut k: usize, mut d: usize, mut new: Piece) {
    let rank = new.dims.len();
    loop {
        while d < rank && pieces[k].dims[d] == new.dims[d] {
            d += 1;
        }
        if d == rank {
            return;
        }
        if new.dims[d].0 < pieces[k].dims[d].0 {
            std::mem::swap(&mut pieces[k], &mut new);
        }
        let (t, a) = (pieces[k].bounds(d), new.bounds(d));
        if t.1 < a.0 {
            pieces.insert(k + 1, new);
            return;
        }
        if t.0 < a.0 {
            let rest = pieces[k].with_bounds(d, (a.0, t.1));
            pieces[k].set_bounds(d, (t.0, a.0 - 1));
            pieces.insert(k + 1, rest);
            k += 1;
        } else if t.1 < a.1 {
            pieces.insert(k + 1, new.with_bounds(d, (t.1 + 1, a.1)));
            new.set_bounds(d, (a.0, t.1));
        } else {
            let rest = pieces[k].with_bounds(d, (a.1 + 1, t.1));
            pieces.insert(k + 1, rest);
            pieces[k].set_bounds(d, (t.0, a.1));
        }
    }
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

    fn two((lo0, hi0): (i64, i64), (lo1, hi1): (i64, i64)) -> Shape {
        let len = |lo: i64, hi: i64| (hi - lo + 1) as usize;
        Shape::new(vec![(lo0, len(lo0, hi0)), (lo1, len(lo1, hi1))])
    }

    /// Each piece as ACT prints a range: `[0..1][2..3]`.
    fn ranges(x: &Shape) -> Vec<String> {
        x.0.iter().map(|p| p.text()).collect()
    }

    /// Extends `x` by `added`, and returns where each element came from.
    fn extended(x: &mut Shape, added: &Shape) -> Vec<usize> {
        let before = x.clone();
        x.extend(added, "x").unwrap();
        x.sources(&before, added)
    }

    #[test]
    fn pieces_join_at_either_end_and_stay_apart_across_a_gap() {
        let mut x = one(0, 4);
        assert_eq!(extended(&mut x, &one(6, 2)), [0, 1, 2, 3, 4, 5]);
        assert!(x.is_sparse());
        assert_eq!(extended(&mut x, &one(-2, 2)), [6, 7, 0, 1, 2, 3, 4, 5]);
        assert_eq!(extended(&mut x, &one(4, 1)), [0, 1, 2, 3, 4, 5, 8, 6, 7]);
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
    fn a_range_filling_a_gap_joins_the_piece_before_it_only() {
        // As ACT: the first piece met that it extends grows; the two do not fuse.
        let mut x = one(0, 2);
        x.extend(&one(4, 2), "x").unwrap();
        x.extend(&one(2, 2), "x").unwrap();
        assert_eq!(ranges(&x), ["[0..3]", "[4..5]"]);
    }

    #[test]
    fn pieces_of_two_dimensions_overlap_only_in_both() {
        let mut x = two((0, 1), (0, 1));
        assert_eq!(
            extended(&mut x, &two((0, 1), (3, 4))),
            [0, 1, 2, 3, 4, 5, 6, 7]
        );
        assert_eq!(x.offset(&[1, 4]), Ok(7));
        assert_eq!(x.suffix(5), "[0][4]");
        let overlap = x.extend(&two((1, 1), (1, 3)), "x");
        assert!(overlap.unwrap_err().contains("overlaps"));
    }

    #[test]
    fn a_range_next_to_a_piece_in_a_later_dimension_joins_it() {
        // x[0..1][0..1] and x[0..1][2..3] are x[0..1][0..3], numbered row by row.
        let mut x = two((0, 1), (0, 1));
        assert_eq!(
            extended(&mut x, &two((0, 1), (2, 3))),
            [0, 1, 4, 5, 2, 3, 6, 7]
        );
        assert!(!x.is_sparse());
        assert_eq!(ranges(&x), ["[0..1][0..3]"]);
        assert_eq!(x.offset(&[1, 2]), Ok(6));
        // Before it in the second dimension: it grows at its start.
        let mut y = two((0, 1), (2, 3));
        assert_eq!(
            extended(&mut y, &two((0, 1), (0, 1))),
            [4, 5, 0, 1, 6, 7, 2, 3]
        );
        assert_eq!(ranges(&y), ["[0..1][0..3]"]);
    }

    #[test]
    fn a_range_differing_in_two_dimensions_stays_apart() {
        let mut x = two((0, 1), (0, 1));
        x.extend(&two((2, 3), (2, 3)), "x").unwrap();
        assert_eq!(ranges(&x), ["[0..1][0..1]", "[2..3][2..3]"]);
    }

    #[test]
    fn ranges_sharing_indices_of_the_first_dimension_split() {
        // Same first index, the new range longer: the part past the piece follows it.
        let mut x = two((0, 3), (0, 1));
        assert_eq!(
            extended(&mut x, &two((0, 5), (2, 3))),
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
        );
        assert_eq!(ranges(&x), ["[0..3][0..1]", "[0..3][2..3]", "[4..5][2..3]"]);
        assert_eq!(x.offset(&[1, 3]), Ok(11));
        // ... the piece longer: its part past the new range follows both.
        let mut y = two((0, 5), (0, 1));
        let sources = extended(&mut y, &two((0, 3), (2, 3)));
        assert_eq!(ranges(&y), ["[0..3][0..1]", "[0..3][2..3]", "[4..5][0..1]"]);
        assert_eq!(&sources[8..12], [12, 13, 14, 15]);
        assert_eq!(&sources[16..], [8, 9, 10, 11]);
        // A range crossing a piece's split is no longer one piece's.
        assert!(y.select(&[(0, Some(5)), (0, None)]).is_err());
        assert!(y.select(&[(0, Some(3)), (0, None)]).is_ok());
    }

    #[test]
    fn a_range_sharing_a_later_dimension_goes_before_a_piece_it_precedes() {
        // The new range starts lower in the second dimension: it takes the piece's place.
        let mut x = two((0, 3), (4, 5));
        x.extend(&two((0, 5), (0, 1)), "x").unwrap();
        assert_eq!(ranges(&x), ["[0..3][0..1]", "[0..3][4..5]", "[4..5][0..1]"]);
    }

    #[test]
    fn ranges_starting_apart_in_a_shared_dimension_split_at_the_later_start() {
        let mut x = two((0, 3), (0, 1));
        x.extend(&two((2, 5), (2, 3)), "x").unwrap();
        assert_eq!(
            ranges(&x),
            [
                "[0..1][0..1]",
                "[2..3][0..1]",
                "[2..3][2..3]",
                "[4..5][2..3]"
            ]
        );
        let mut y = two((2, 5), (0, 1));
        y.extend(&two((0, 3), (2, 3)), "x").unwrap();
        assert_eq!(
            ranges(&y),
            [
                "[0..1][2..3]",
                "[2..3][0..1]",
                "[2..3][2..3]",
                "[4..5][0..1]"
            ]
        );
        assert_eq!(y.len(), 16);
        for k in 0..y.len() {
            let at: Vec<i64> = (y.suffix(k).trim_matches(['[', ']']).split("]["))
                .map(|i| i.parse().unwrap())
                .collect();
            assert_eq!(y.offset(&at), Ok(k));
        }
    }
}
