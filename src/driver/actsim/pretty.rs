//! The layout of ACT's pretty printer, which actsim's `coverage` writes a program with: text
//! in blocks, with break points. A lazy break point breaks the line when the text after it,
//! up to the next break point or the end of its block, would reach the margin; a united one
//! breaks when its block has broken already, or when the rest of its block would reach the
//! margin. A broken line goes on at its block's indentation plus the break's offset. A line
//! that reaches the margin with no break point goes on past it.
use crate::sim::coverage::Piece;

/// One step of the layout: a character, or one of [`Piece`]'s marks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Char(char),
    Open,
    Close,
    Lazy(i32),
    United(i32),
    Forced(i32),
}

impl Mark {
    fn breaks(self) -> bool {
        matches!(self, Mark::Lazy(_) | Mark::United(_) | Mark::Forced(_))
    }
}

/// A block: the column it starts at and whether a line broke inside it.
struct Block {
    indent: usize,
    broken: bool,
}

struct Layout {
    margin: usize,
    out: String,
    /// The current line (its length is the column).
    line: String,
    /// Whole margins' worth of columns of a line that went on past the margin.
    correction: usize,
    blocks: Vec<Block>,
}

/// `pieces` laid out within `margin` columns, the last line ended.
pub(super) fn layout(pieces: &[Piece], margin: usize) -> String {
    let mut marks = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => marks.extend(text.chars().map(Mark::Char)),
            Piece::Open => marks.push(Mark::Open),
            Piece::Close => marks.push(Mark::Close),
            Piece::Lazy(offset) => marks.push(Mark::Lazy(*offset)),
            Piece::United(offset) => marks.push(Mark::United(*offset)),
        }
    }
    marks.push(Mark::Forced(0));
    let mut layout = Layout {
        margin,
        out: String::new(),
        line: String::new(),
        correction: 0,
        blocks: Vec::new(),
    };
    for (at, &mark) in marks.iter().enumerate() {
        let rest = &marks[at + 1..];
        match mark {
            Mark::Open => layout.blocks.push(Block {
                indent: layout.column(),
                broken: false,
            }),
            Mark::Close => {
                let closed = layout.blocks.pop().is_some_and(|b| b.broken);
                if let Some(outer) = layout.blocks.last_mut() {
                    outer.broken |= closed;
                }
            }
            Mark::Forced(offset) => layout.break_line(offset),
            Mark::Lazy(offset) if layout.lazy_breaks(rest) => layout.break_line(offset),
            Mark::United(offset) if layout.united_breaks(rest) => layout.break_line(offset),
            Mark::Lazy(_) | Mark::United(_) => {}
            Mark::Char(c) => {
                if layout.line.len() == margin {
                    layout.out.push_str(&layout.line);
                    layout.line.clear();
                    layout.correction += margin;
                }
                layout.line.push(c);
            }
        }
    }
    layout.out
}

impl Layout {
    fn column(&self) -> usize {
        self.line.len() + self.correction
    }

    fn break_line(&mut self, offset: i32) {
        self.out.push_str(&self.line);
        self.out.push('\n');
        let base = match self.blocks.last_mut() {
            Some(block) => {
                block.broken = true;
                block.indent as i64
            }
            None => 0,
        };
        let column = (base + offset as i64).max(0) as usize;
        self.line = " ".repeat(column % self.margin);
        self.correction = column / self.margin * self.margin;
    }

    /// Whether the text after a lazy break point, up to the next break point or the end of
    /// its block, reaches the margin. Break points inside nested blocks count as two columns
    /// (ACT's printer counts the mark and its offset).
    fn lazy_breaks(&self, rest: &[Mark]) -> bool {
        let mut column = self.column();
        let mut depth = 0usize;
        for &mark in rest {
            if column >= self.margin {
                return true;
            }
            if depth == 0 && (mark == Mark::Close || mark.breaks()) {
                return false;
            }
            match mark {
                Mark::Open => depth += 1,
                Mark::Close => depth -= 1,
                m if m.breaks() => column += 2,
                _ => column += 1,
            }
        }
        false
    }

    /// Whether a united break point breaks: its block broke already, or the rest of the
    /// block (break points not counted) reaches the margin.
    fn united_breaks(&self, rest: &[Mark]) -> bool {
        if self.blocks.last().is_some_and(|b| b.broken) {
            return true;
        }
        let mut column = self.column();
        let mut depth = 0usize;
        for &mark in rest {
            if column >= self.margin {
                return true;
            }
            match mark {
                Mark::Close if depth == 0 => return false,
                Mark::Open => depth += 1,
                Mark::Close => depth -= 1,
                m if m.breaks() => {}
                _ => column += 1,
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_string())
    }

    #[test]
    fn short_text_stays_on_one_line() {
        let pieces = [
            text("[ "),
            Piece::Open,
            text("a"),
            Piece::Lazy(0),
            text(" ]"),
            Piece::Close,
        ];
        assert_eq!(layout(&pieces, 80), "[ a ]\n");
    }

    #[test]
    fn a_lazy_break_breaks_when_what_follows_reaches_the_margin() {
        let pieces = [
            Piece::Open,
            text("abcd"),
            Piece::Lazy(0),
            text("efgh"),
            Piece::Lazy(0),
            text("ij"),
            Piece::Close,
        ];
        // "abcdefgh" fits in 9 columns, "abcdefghij" does not; reaching the margin is not
        // fitting (8 columns of 8).
        assert_eq!(layout(&pieces, 9), "abcdefgh\nij\n");
        assert_eq!(layout(&pieces, 8), "abcd\nefghij\n");
        assert_eq!(layout(&pieces, 6), "abcd\nefgh\nij\n");
    }

    #[test]
    fn a_united_break_follows_its_broken_block() {
        // Two arms in a block at column 2: the first breaks inside, so the united break
        // before the second breaks too, at column 2 minus one (`[]` under the arms).
        let pieces = [
            text("[ "),
            Piece::Open,
            Piece::Open,
            text("aaaa"),
            Piece::Lazy(0),
            text("bbbbbb"),
            Piece::Close,
            Piece::United(-1),
            text(" [] c"),
            Piece::Close,
        ];
        assert_eq!(layout(&pieces, 10), "[ aaaa\n  bbbbbb\n  [] c\n");
    }
}
