//! Lines of bits: how the nets of variables joined by views of record fields share bits.
//!
//! A field of a record connected as a net is a *view*: its net's bits are a range of the
//! bits of its record's net (see [`field_views`](super::field_views)). Any set of views may
//! join bits: a field to a variable (`f = t.x`), fields of two records (`t.x = r.x`), two
//! fields of one record (`t.a = t.b`), a circuit node to a field's bit. The bits are put in
//! classes (a union-find over every bit of every net joined by a view), and the classes in
//! *lines*: runs of classes that follow each other, in that order, wherever one of them is
//! found. Every net is then a sequence of whole lines, and each line is one shared variable
//! at run time; a variable holding a net holds a copy of each of its lines (see
//! [`SharedPiece`](crate::elab::ir::SharedPiece)). Nets joined by no view are a line each.

use std::collections::HashMap;

/// A range of a net's bits that is one whole line: `width` bits from bit `lo` of the net.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Piece {
    pub line: usize,
    pub lo: u32,
    pub width: u32,
}

/// Where each net's bits lie: line `net` for a net joined by no view (the net whole), the
/// lines after the nets' numbers for the nets joined by views.
pub(super) struct Lines {
    nets: usize,
    lines: usize,
    pieces: HashMap<usize, Vec<Piece>>,
}

impl Lines {
    /// How many lines there are (some numbers of nets go unused).
    pub(super) fn count(&self) -> usize {
        self.lines
    }

    /// The lines of net `net`, lowest bits first: `None` when it is one line of its own
    /// (numbered `net`), of any width.
    pub(super) fn pieces(&self, net: usize) -> Option<&[Piece]> {
        debug_assert!(net < self.nets);
        self.pieces.get(&net).map(Vec::as_slice)
    }

    /// The one line net `net` is, when it is one whole line.
    pub(super) fn single(&self, net: usize) -> Option<usize> {
        match self.pieces(net) {
            None => Some(net),
            Some([one]) => Some(one.line),
            Some(_) => None,
        }
    }
}

/// What follows (or precedes) a class of bits wherever it is found: nothing seen yet, always
/// the same class, or not always the same (or a net's end): a line ends there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    Unseen,
    Always(usize),
    Break,
}

impl Link {
    fn meet(&mut self, class: Option<usize>) {
        *self = match (*self, class) {
            (_, None) | (Link::Break, _) => Link::Break,
            (Link::Unseen, Some(c)) => Link::Always(c),
            (Link::Always(d), Some(c)) if d == c => Link::Always(c),
            (Link::Always(_), Some(_)) => Link::Break,
        };
    }
}

/// Lays the `nets` nets on lines, as `views` join them: each `(view net, host net, lo)` says
/// the view's bits are the host's from bit `lo`; `width` gives a net's width.
pub(super) fn lay_lines(
    nets: usize,
    views: &[(usize, usize, u32)],
    width: impl Fn(usize) -> u32,
) -> Lines {
    // Each net joined by a view gets its bits numbered from `base`.
    let mut base: HashMap<usize, usize> = HashMap::new();
    let mut order = Vec::new();
    let mut bits = 0;
    for &(view, host, _) in views {
        for net in [host, view] {
            base.entry(net).or_insert_with(|| {
                order.push(net);
                bits += width(net) as usize;
                bits - width(net) as usize
            });
        }
    }
    let mut parent: Vec<usize> = (0..bits).collect();
    for &(view, host, lo) in views {
        let (v, h) = (base[&view], base[&host] + lo as usize);
        for i in 0..width(view) as usize {
            let (a, b) = (find(&mut parent, v + i), find(&mut parent, h + i));
            parent[a.max(b)] = a.min(b);
        }
    }
    let class: Vec<usize> = (0..bits).map(|b| find(&mut parent, b)).collect();
    let (mut next, mut prev) = (vec![Link::Unseen; bits], vec![Link::Unseen; bits]);
    for &net in &order {
        let (b, w) = (base[&net], width(net) as usize);
        for i in 0..w {
            let c = class[b + i];
            prev[c].meet((i > 0).then(|| class[b + i - 1]));
            next[c].meet((i + 1 < w).then(|| class[b + i + 1]));
        }
    }
    let linked = |c: usize| match next[c] {
        Link::Always(d) if prev[d] == Link::Always(c) => Some(d),
        _ => None,
    };
    // Each line from its first class (one no class is linked to): its number, and each
    // class's line and place on it.
    let mut place: Vec<(usize, u32)> = vec![(usize::MAX, 0); bits];
    let mut lines = nets;
    for first in (0..bits).filter(|&c| class[c] == c) {
        let starts = match prev[first] {
            Link::Always(p) => linked(p) != Some(first),
            _ => true,
        };
        if !starts {
            continue;
        }
        let (mut c, mut at) = (Some(first), 0);
        while let Some(k) = c {
            place[k] = (lines, at);
            at += 1;
            c = linked(k).filter(|_| at as usize <= bits);
        }
        lines += 1;
    }
    let mut line_width = vec![0u32; lines];
    for &(line, at) in place.iter().filter(|p| p.0 != usize::MAX) {
        line_width[line] = line_width[line].max(at + 1);
    }
    let mut pieces = HashMap::new();
    for &net in &order {
        let (b, w) = (base[&net], width(net));
        let mut list = Vec::new();
        let mut lo = 0;
        while lo < w {
            let (line, at) = place[class[b + lo as usize]];
            // A net starts and ends where its lines do (a net's ends break lines).
            debug_assert_eq!(at, 0);
            list.push(Piece {
                line,
                lo,
                width: line_width[line],
            });
            lo += line_width[line];
        }
        pieces.insert(net, list);
    }
    Lines {
        nets,
        lines,
        pieces,
    }
}

/// The class (smallest bit) of `bit`, shortening the paths walked.
fn find(parent: &mut [usize], bit: usize) -> usize {
    let mut root = bit;
    while parent[root] != root {
        root = parent[root];
    }
    let mut x = bit;
    while parent[x] != root {
        let up = parent[x];
        parent[x] = root;
        x = up;
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(widths: &[u32], views: &[(usize, usize, u32)]) -> Vec<Vec<(usize, u32, u32)>> {
        let lines = lay_lines(widths.len(), views, |n| widths[n]);
        (0..widths.len())
            .map(|n| match lines.pieces(n) {
                None => vec![(n, 0, widths[n])],
                Some(p) => p.iter().map(|p| (p.line, p.lo, p.width)).collect(),
            })
            .collect()
    }

    #[test]
    fn a_field_splits_its_record_around_it() {
        // net 0: a record of 8 bits, net 1: its field of 3 bits from bit 2.
        let got = lines_of(&[8, 3], &[(1, 0, 2)]);
        let x = got[1][0].0;
        assert_eq!(got[1], [(x, 0, 3)]);
        assert_eq!(got[0].len(), 3);
        assert_eq!((got[0][1].0, got[0][1].1, got[0][1].2), (x, 2, 3));
        assert_eq!(
            (got[0][0].1, got[0][0].2, got[0][2].1, got[0][2].2),
            (0, 2, 5, 3)
        );
    }

    #[test]
    fn fields_of_two_records_share_one_line_and_keep_the_rest_apart() {
        // nets 0 and 1: records of 6 bits; net 2: the field (2 bits) of both, at 1 and at 3.
        let got = lines_of(&[6, 6, 2], &[(2, 0, 1), (2, 1, 3)]);
        let x = got[2][0].0;
        assert!(got[0].contains(&(x, 1, 2)) && got[1].contains(&(x, 3, 2)));
        let others = |n: usize| {
            got[n]
                .iter()
                .filter(|p| p.0 != x)
                .map(|p| p.0)
                .collect::<Vec<_>>()
        };
        assert!(others(0).iter().all(|l| !others(1).contains(l)));
    }

    #[test]
    fn two_fields_of_one_record_are_one_line_twice() {
        // net 0: a record of 4 bits whose fields (1 bit each) at 0 and 3 are one net, 1.
        let got = lines_of(&[4, 1], &[(1, 0, 0), (1, 0, 3)]);
        let a = got[1][0].0;
        assert_eq!(got[1], [(a, 0, 1)]);
        assert_eq!(got[0].len(), 3);
        assert_eq!(
            (got[0][0], got[0][1].1, got[0][1].2, got[0][2]),
            ((a, 0, 1), 1, 2, (a, 3, 1))
        );
    }
}
