//! Types and expressions as canonical text: what ACT prints in its messages (`e1of2`,
//! `chan(int<8>)`, `foo<3,4>`), and the identity of a type where the parser compares two
//! (an override and what it refines, a forward declaration and its definition). Spans never
//! take part, and a constant integer expression prints as its value (`4+3` is `7`), as ACT
//! folds constants before it compares types.

use std::fmt::{self, Display, Formatter, Write};

use num_bigint::BigUint;

use crate::front::ast::*;

impl Display for Type {
    /// The type's name as written by its definition: a user type by its name and template
    /// arguments, a built-in in full (`int` is `int<32>`); no direction.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(named) = &self.named {
            return write_named(f, &named.name, &named.args);
        }
        match &self.kind {
            TypeKind::Bool => f.write_str("bool"),
            TypeKind::Int {
                width: None,
                signed,
            } => write!(f, "{}<32>", int_keyword(*signed)),
            TypeKind::Int {
                width: Some(w),
                signed,
            } => write!(f, "{}<{w}>", int_keyword(*signed)),
            TypeKind::Enum { size } => write!(f, "enum<{size}>"),
            TypeKind::Chan { data, reply, .. } => {
                f.write_str("chan(")?;
                if let Some(data) = data {
                    write!(f, "{data}")?;
                }
                if let Some(reply) = reply {
                    write!(f, ",{reply}")?;
                }
                f.write_char(')')
            }
            TypeKind::Record(r) => write_named(f, &r.def.name.name, &r.args),
        }
    }
}

/// ACT's keyword of an integer type: `int`, or `ints` when it is signed.
pub(crate) fn int_keyword(signed: bool) -> &'static str {
    match signed {
        true => "ints",
        false => "int",
    }
}

/// `name` or `name<a,b>`.
pub(crate) fn write_named(f: &mut impl Write, name: &str, args: &[Expr]) -> fmt::Result {
    f.write_str(name)?;
    if !args.is_empty() {
        f.write_char('<')?;
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                f.write_char(',')?;
            }
            write!(f, "{arg}")?;
        }
        f.write_char('>')?;
    }
    Ok(())
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(value) = literal_value(self) {
            return write!(f, "{value}");
        }
        match &self.kind {
            ExprKind::Int(v) => write!(f, "{v}"),
            ExprKind::Real(text) => f.write_str(text),
            ExprKind::Bool(b) => write!(f, "{b}"),
            ExprKind::Name(id) => f.write_str(&id.name),
            ExprKind::Index { base, index } => write!(f, "{base}[{index}]"),
            ExprKind::Slice { base, lo, hi } => write!(f, "{base}[{lo}..{hi}]"),
            ExprKind::Field { base, field } => write!(f, "{base}.{}", field.name),
            ExprKind::BitSlice { base, hi, lo: None } => write!(f, "{base}{{{hi}}}"),
            ExprKind::BitSlice {
                base,
                hi,
                lo: Some(lo),
            } => write!(f, "{base}{{{hi}..{lo}}}"),
            ExprKind::Probe(e) => write!(f, "#{e}"),
            ExprKind::Unary { op, operand } => {
                let op = match op {
                    UnaryOp::Not => "~",
                    UnaryOp::Neg => "-",
                };
                write!(f, "{op}({operand})")
            }
            ExprKind::Binary { op, lhs, rhs } => write!(f, "({lhs}{}{rhs})", op.symbol()),
            ExprKind::Concat(parts) => {
                f.write_char('{')?;
                write_list(f, parts)?;
                f.write_char('}')
            }
            ExprKind::ArrayConcat(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" # ")?;
                    }
                    write!(f, "{part}")?;
                }
                Ok(())
            }
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => write!(f, "({cond}?{then}:{otherwise})"),
            ExprKind::Cast { to, value, width } => {
                let to = match to {
                    CastTo::Int => "int",
                    CastTo::Bool => "bool",
                };
                match width {
                    Some(w) => write!(f, "{to}({value},{w})"),
                    None => write!(f, "{to}({value})"),
                }
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => {
                write!(f, "{receiver}.{}(", method.name)?;
                write_list(f, args)?;
                f.write_char(')')
            }
            ExprKind::Replicated {
                op,
                var,
                range,
                body,
            } => {
                write!(f, "({}{}:", op.symbol(), var.name)?;
                match range.as_ref() {
                    IterRange::Count(n) => write!(f, "{n}")?,
                    IterRange::Inclusive(lo, hi) => write!(f, "{lo}..{hi}")?,
                }
                write!(f, ":{body})")
            }
            ExprKind::PstructOf { def, args } => {
                write!(f, "{}(", def.name.name)?;
                write_list(f, args)?;
                f.write_char(')')
            }
            ExprKind::ProcessType { process, args, .. } => {
                f.write_char('@')?;
                write_named(f, &process.name, args)
            }
            ExprKind::RecordOf { record, value } => {
                write_named(f, &record.def.name.name, &record.args)?;
                write!(f, "({value})")
            }
            ExprKind::Call {
                func,
                template_args,
                args,
            } => {
                write_named(f, &func.name, template_args)?;
                f.write_char('(')?;
                write_list(f, args)?;
                f.write_char(')')
            }
        }
    }
}

fn write_list(f: &mut Formatter<'_>, items: &[Expr]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_char(',')?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

/// The value of an expression of integer literals and `+ - * / %` (small enough to fold), so
/// that `4+3` and `7` print the same.
fn literal_value(e: &Expr) -> Option<BigUint> {
    match &e.kind {
        ExprKind::Int(v) => Some(v.clone()),
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, b) = (literal_value(lhs)?, literal_value(rhs)?);
            let zero = BigUint::from(0u8);
            match op {
                BinaryOp::Add => Some(a + b),
                BinaryOp::Sub if a >= b => Some(a - b),
                BinaryOp::Mul => Some(a * b),
                BinaryOp::Div if b != zero => Some(a / b),
                BinaryOp::Mod if b != zero => Some(a % b),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: u32) -> Expr {
        Expr {
            kind: ExprKind::Int(BigUint::from(v)),
            span: 0..0,
        }
    }

    #[test]
    fn constants_fold_and_names_print_as_written() {
        let sum = Expr {
            kind: ExprKind::Binary {
                op: BinaryOp::Add,
                lhs: Box::new(int(4)),
                rhs: Box::new(int(3)),
            },
            span: 0..0,
        };
        assert_eq!(sum.to_string(), "7");
        let mut text = String::new();
        write_named(&mut text, "foo", &[sum, int(2)]).unwrap();
        assert_eq!(text, "foo<7,2>");
        let ty = Type {
            kind: TypeKind::Chan {
                dir: Some(ChanDir::Input),
                data: Some(Box::new(Type::new(
                    TypeKind::Int {
                        width: None,
                        signed: false,
                    },
                    0..0,
                ))),
                reply: None,
            },
            span: 0..0,
            named: None,
        };
        assert_eq!(ty.to_string(), "chan(int<32>)");
    }
}
