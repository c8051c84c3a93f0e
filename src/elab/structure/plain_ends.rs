//! CHP ends declared with a plain channel type on a channel of a type with methods.
//!
//! actsim takes a channel's type from the most refined declaration connected to it: a CHP
//! process whose port is a plain `chan!(enum<2>) o`, connected to an `a1of2 c` whose other end
//! is a circuit, moves `c`'s wires through `a1of2`'s methods. A program is lowered once per
//! definition, from its own port types; so once every net is known, such an end's process is
//! lowered again (once per definition and refined ports) with the port declared of the net's
//! type, its wires bound to the wires of that declaration.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use super::nets::Nets;
use super::{Elaborator, NodeId, NodeKind, Role, UNBOUND_NODE};
use crate::elab::consts::{eval_const, ArgValue, Params};
use crate::elab::ir::Ty;
use crate::elab::layout::PortLayout;
use crate::elab::lower::{lower_program, Binding, Lowered, ProgramParts};
use crate::front::ast::{self, ArrayDim, Expr, ExprKind, Ident, PortDecl, ProcessDef, Span};
use crate::front::subst::{subst_methods, subst_type, Bindings};

/// What lowering a process again needs: the program of its first instance and how it was
/// made.
pub(super) struct PlainSource<'a> {
    lowered: Rc<Lowered>,
    def: &'a ProcessDef,
    args: Vec<ArgValue>,
    parts: ProgramParts<'a>,
    span: Span,
}

/// A port of a process to declare with a channel type of the net it is on: the port's name,
/// the type (its arguments evaluated), and its wires (the names after the port's, each with
/// the nodes of its elements and what they hold).
struct Refinement {
    port: String,
    named: Rc<ast::NamedType>,
    wires: Vec<Wire>,
}

/// The type and wires one element of a plain port takes.
struct Candidate {
    named: Rc<ast::NamedType>,
    wires: Vec<Wire>,
}

/// A wire of a port's refined type: its name after the port's (`t`, `d.d`), the nodes of its
/// elements in order (row by row), what they hold, and its dimensions (none for a scalar).
struct Wire {
    name: String,
    nodes: Vec<NodeId>,
    ty: Ty,
    dims: Vec<usize>,
}

impl<'a> Elaborator<'a> {
    /// Notes channel node `node`, declared of type `ty` under `params`, when the type has
    /// methods: a plain CHP end connected to it runs them (see the module's documentation).
    pub(super) fn note_chan_type(&mut self, node: NodeId, ty: &ast::Type, params: &Params) {
        let Some(named) = ty.named.as_deref().filter(|n| n.methods.is_some()) else {
            return;
        };
        let mut named = named.clone();
        for arg in &mut named.args {
            if let Some(value) = eval_const(arg, params).ok().and_then(int_literal_value) {
                arg.kind = ExprKind::Int(value.into());
            }
        }
        // The methods carry the arguments as written (`e1of<N>`'s `(,i:N: ...)`, `N` the
        // declaring process's): their values in place, so that another process's end can
        // run them. A wire of the type keeps its name.
        if let Some(methods) = &named.methods {
            let bindings: Bindings = (params.ints())
                .filter(|(name, _)| *name != "self" && !methods.wires.iter().any(|w| w == name))
                .filter_map(|(name, value)| {
                    let value = int_literal_value(value)?;
                    let literal = int_expr(value, &ty.span);
                    Some((name.to_string(), literal))
                })
                .collect();
            named.methods = Some(Arc::new(subst_methods(methods, &bindings)));
            named.parent = subst_type(&named.parent, &bindings);
        }
        self.chan_types.insert(node, Rc::new(named));
    }

    /// Keeps how the program of `lowered` was made, for its first instance, when it has a
    /// channel port that does not run methods.
    pub(super) fn note_plain_source(
        &mut self,
        lowered: &Rc<Lowered>,
        (def, args): (&'a ProcessDef, &[ArgValue]),
        parts: ProgramParts<'a>,
        span: &Span,
    ) {
        let plain = |s: &crate::elab::ir::PortSlot| !s.wired && !s.local && s.used;
        if !lowered.program.ports.iter().any(plain) {
            return;
        }
        self.plain_sources.push(PlainSource {
            lowered: lowered.clone(),
            def,
            args: args.to_vec(),
            parts,
            span: span.clone(),
        });
    }

    /// Lowers again each process with a plain channel port on a net of a type with methods
    /// that a circuit uses, that port declared of the net's most refined type (see the
    /// module's documentation).
    pub(super) fn refine_plain_ends(&mut self) {
        if self.chan_types.is_empty() || self.plain_sources.is_empty() {
            return;
        }
        let nets = self.nets();
        // The most refined type of each net: the longest chain of refinements.
        let mut best: HashMap<usize, NodeId> = HashMap::new();
        let mut nodes: Vec<&NodeId> = self.chan_types.keys().collect();
        nodes.sort_unstable();
        for &node in nodes {
            let net = nets.of_node[node];
            let deeper = best
                .get(&net)
                .is_none_or(|&b| depth(&self.chan_types[&node]) > depth(&self.chan_types[&b]));
            if deeper {
                best.insert(net, node);
            }
        }
        let (driven, read) = self.circuit_uses(&nets);
        let by_path: HashMap<String, NodeId> = (self.nodes.iter().enumerate())
            .filter(|(_, n)| n.kind == NodeKind::Variable)
            .map(|(i, n)| (n.path.clone(), i))
            .collect();
        let mut variants: HashMap<(usize, String), Option<Rc<Lowered>>> = HashMap::new();
        for p in 0..self.processes.len() {
            let (_, program, port_nodes, _) = &self.processes[p];
            // The candidates of each port, element by element (`None`: one is not).
            let mut ports: Vec<(String, Option<Vec<Candidate>>)> = Vec::new();
            for (slot, &node) in program.ports.iter().zip(port_nodes) {
                if slot.wired || slot.local {
                    continue;
                }
                let port = &slot.name[..slot.name.find('[').unwrap_or(slot.name.len())];
                let found = (node != UNBOUND_NODE)
                    .then(|| {
                        let typed = *best.get(&nets.of_node[node])?;
                        self.candidate(node, typed, &nets, (&driven, &read), &by_path)
                    })
                    .flatten();
                match ports.last_mut() {
                    Some((name, elements)) if name == port => {
                        *elements = elements.take().zip(found).map(|(mut all, c)| {
                            all.push(c);
                            all
                        });
                    }
                    _ => ports.push((port.to_string(), found.map(|c| vec![c]))),
                }
            }
            let refinements: Vec<Refinement> = (ports.into_iter())
                .filter_map(|(port, elements)| joined(port, elements?))
                .collect();
            if !refinements.is_empty() {
                self.lower_refined(p, &refinements, &mut variants);
            }
        }
    }

    /// The type and wires a plain CHP end at `node` takes from `typed`, the most refined
    /// declaration with methods on its net, when the channel is wired by the rules of a wired
    /// end (nets.rs): one CHP end and a circuit's port, or wires a circuit drives (or reads,
    /// when unmarked), whatever the ends.
    fn candidate(
        &self,
        node: NodeId,
        typed: NodeId,
        nets: &Nets,
        (driven, read): (&[bool], &[bool]),
        by_path: &HashMap<String, NodeId>,
    ) -> Option<Candidate> {
        let net = nets.of_node[node];
        let wires = wires_of(&self.nodes[typed].path, by_path, &self.nodes)?;
        let members = nets.nodes(net);
        let ends = (members.iter())
            .filter(|&&n| matches!(self.nodes[n].kind, NodeKind::Active(_)))
            .count();
        let circuit_port = members.iter().any(|&n| {
            self.nodes[n].kind == NodeKind::Through
                && self.nodes[n].role == Role::Port { top: false }
        });
        let named = &self.chan_types[&typed];
        let wires_driven = wires.iter().any(|w| {
            let unmarked = !marked(named, &w.name);
            (w.nodes.iter().map(|&n| nets.of_node[n]))
                .any(|net| driven[net] || (read[net] && unmarked))
        });
        let wired = match ends {
            1 => wires_driven || circuit_port,
            2 => wires_driven,
            _ => false,
        };
        wired.then(|| Candidate {
            named: named.clone(),
            wires,
        })
    }

    /// Lowers process `p` again with `refinements`, once per definition and refinements
    /// (`variants`), and binds its wires.
    fn lower_refined(
        &mut self,
        p: usize,
        refinements: &[Refinement],
        variants: &mut HashMap<(usize, String), Option<Rc<Lowered>>>,
    ) {
        let program = self.processes[p].1.clone();
        let Some(source) =
            (self.plain_sources.iter()).position(|s| Rc::ptr_eq(&s.lowered.program, &program))
        else {
            return;
        };
        let signature: Vec<String> = (refinements.iter())
            .map(|r| format!("{}:{:?}", r.port, r.named))
            .collect();
        let key = (source, signature.join(";"));
        let (def, args, span) = {
            let s = &self.plain_sources[source];
            (s.def, s.args.clone(), s.span.clone())
        };
        let Some(params) = self.bind_template(def, &args, &span) else {
            return;
        };
        let layout = PortLayout::new(def, &params, &mut Vec::new());
        let first_wire_node = layout.node_count();
        let mut variant = def.clone();
        for r in refinements {
            add_wires(&mut variant, r);
        }
        let refined_layout = PortLayout::new(&variant, &params, &mut self.diags);
        if !variants.contains_key(&key) {
            let delays = (self.delays).for_process(&super::levels::full_expanded_name(def, &args));
            let parts = &self.plain_sources[source].parts;
            let lowered = lower_program(
                &variant,
                &refined_layout,
                parts,
                &self.functions,
                delays,
                self.strict_act,
            );
            let lowered = match lowered {
                Ok(mut lowered) => {
                    if let Some(new) = Rc::get_mut(&mut lowered.program) {
                        new.type_name = program.type_name.clone();
                    }
                    Some(Rc::new(lowered))
                }
                // The definition lowered as written: what fails is the refined type's methods
                // in its scope (a parameter of the declaring process they name); the end then
                // stays plain, as before.
                Err(_) => None,
            };
            variants.insert(key.clone(), lowered);
        }
        let Some(lowered) = variants[&key].clone() else {
            return;
        };
        // The wires' nodes, by their offsets in the refined layout.
        let mut wire_nodes = HashMap::new();
        for port in refined_layout
            .ports
            .iter()
            .filter(|p| p.first >= first_wire_node)
        {
            let wire = refinements.iter().find_map(|r| {
                let rest = port.name.strip_prefix(&r.port)?.strip_prefix('.')?;
                r.wires.iter().find(|w| w.name == rest)
            });
            if let Some(wire) = wire {
                wire_nodes.extend((port.first..).zip(wire.nodes.iter().copied()));
            }
        }
        let old = &self.plain_sources[source].lowered.var_bindings;
        let old_nodes = &self.processes[p].3;
        let var_nodes: Option<Vec<NodeId>> = (lowered.var_bindings.iter())
            .map(|binding| match binding {
                Binding::Port(offset) if *offset >= first_wire_node => {
                    wire_nodes.get(offset).copied()
                }
                _ => Some(old_nodes[old.iter().position(|b| b == binding)?]),
            })
            .collect();
        let Some(var_nodes) = var_nodes else {
            return;
        };
        let process = &mut self.processes[p];
        process.1 = lowered.program.clone();
        process.3 = var_nodes;
    }
}

/// The refinement of port `port` whose elements (one for a scalar) take `elements`: all of
/// one type, each element's wires after the previous element's (the wires of an array are
/// arrays, the element's indices first); `None` when the elements differ.
fn joined(port: String, elements: Vec<Candidate>) -> Option<Refinement> {
    let mut elements = elements.into_iter();
    let first = elements.next()?;
    let mut wires = first.wires;
    for element in elements {
        let same = element.named == first.named
            && element.wires.len() == wires.len()
            && (element.wires.iter().zip(&wires))
                .all(|(a, b)| a.name == b.name && a.dims == b.dims);
        if !same {
            return None;
        }
        for (wire, more) in wires.iter_mut().zip(element.wires) {
            wire.nodes.extend(more.nodes);
        }
    }
    Some(Refinement {
        port,
        named: first.named,
        wires,
    })
}

/// The wires of the object whose node is at `path` (`c.t`, `c.d.d[0]` of `c`), by their names
/// after its own (`t`, `d.d`), each with the nodes of its elements in order and what they
/// hold; `None` when an array wire lacks an element.
fn wires_of(
    path: &str,
    by_path: &HashMap<String, NodeId>,
    nodes: &[super::Node],
) -> Option<Vec<Wire>> {
    // An element of an array (`c[2]`): its wires are elements of arrays (`c.t[2]`).
    let (path, element) = split_element(path)?;
    let prefix = format!("{path}.");
    let mut elements: HashMap<&str, Vec<(Vec<i64>, NodeId)>> = HashMap::new();
    for (name, &node) in by_path {
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let at = rest.find('[').unwrap_or(rest.len());
        let Some(indices) = parse_indices(&rest[at..]) else {
            continue;
        };
        if let Some(own) = indices.strip_prefix(element.as_slice()) {
            let wire = elements.entry(&rest[..at]).or_default();
            wire.push((own.to_vec(), node));
        }
    }
    let mut wires = Vec::new();
    for (wire, mut at) in elements {
        at.sort_unstable();
        let rank = at[0].0.len();
        let dims: Vec<usize> = (0..rank)
            .map(|d| at.iter().map(|(i, _)| i.get(d).map_or(0, |&i| i + 1)).max())
            .map(|n| usize::try_from(n.unwrap_or(0)).unwrap_or(0))
            .collect();
        if at.iter().any(|(i, _)| i.len() != rank) || dims.iter().product::<usize>() != at.len() {
            return None;
        }
        wires.push(Wire {
            name: wire.to_string(),
            ty: nodes[at[0].1].carried.ty?,
            nodes: at.into_iter().map(|(_, n)| n).collect(),
            dims,
        });
    }
    wires.sort_by(|a, b| a.name.cmp(&b.name));
    Some(wires)
}

/// The indices of `[1][2]` (none of an empty text).
fn parse_indices(text: &str) -> Option<Vec<i64>> {
    let Some(inner) = text.strip_prefix('[') else {
        return text.is_empty().then(Vec::new);
    };
    let inner = inner.strip_suffix(']')?;
    inner.split("][").map(|i| i.parse().ok()).collect()
}

/// The array and the indices of the element at `path` (`c` and `[1, 2]` of `k.c[1][2]`).
fn split_element(path: &str) -> Option<(&str, Vec<i64>)> {
    let last = path.rfind('.').map_or(0, |d| d + 1);
    let at = path[last..].find('[').map_or(path.len(), |i| last + i);
    Some((&path[..at], parse_indices(&path[at..])?))
}

/// Declares port `r.port` of `def` of `r`'s type, with a port for each of its wires.
fn add_wires(def: &mut ProcessDef, r: &Refinement) {
    let Some(decl) = def.ports.iter_mut().find(|p| p.name.name == r.port) else {
        return;
    };
    decl.ty.named = Some(Box::new((*r.named).clone()));
    let decl = decl.clone();
    for wire in &r.wires {
        let span = decl.span.clone();
        let kind = match wire.ty {
            Ty::Bool => ast::TypeKind::Bool,
            Ty::Int(w) => ast::TypeKind::Int {
                width: Some(Box::new(int_expr(u64::from(w), &span))),
                signed: false,
            },
        };
        let own = (wire.dims.iter()).map(|&n| ArrayDim::Size(int_expr(n as u64, &span)));
        let dims = decl.dims.iter().cloned().chain(own).collect();
        def.ports.push(PortDecl {
            ty: ast::Type::new(kind, span.clone()),
            name: Ident {
                name: format!("{}.{}", r.port, wire.name),
                span: decl.name.span.clone(),
            },
            dims,
            span,
            bundle: None,
            wire_dir: None,
        });
    }
}

fn int_expr(value: u64, span: &Span) -> Expr {
    Expr {
        kind: ExprKind::Int(value.into()),
        span: span.clone(),
    }
}

fn int_literal_value(v: i64) -> Option<u64> {
    u64::try_from(v).ok()
}

/// Whether `wire` of a type (`d.d`: its field `d`) carries a direction mark.
fn marked(named: &ast::NamedType, wire: &str) -> bool {
    let field = wire.split('.').next().unwrap_or(wire);
    (named.methods.iter())
        .flat_map(|m| m.wires.iter().zip(&m.marks))
        .any(|(w, mark)| w == field && *mark != ast::WireMark::None)
}

/// How many refinements deep a type is (`a1of2` of `a1of<2>` of `gen_a1of<false,0,2>`).
fn depth(named: &ast::NamedType) -> usize {
    1 + named.parent.named.as_deref().map_or(0, depth)
}
