//! Nets: joining nodes by connections, and checking each net's ends at the finish.

use super::bit_lines::{Lines, Piece};
use super::scope_names::ScopeNamer;
use super::{Elaborator, Node, NodeId, NodeKind, Resolved, Role, OPEN_END, UNBOUND_NODE};
use crate::diag::{Diagnostic, SourceMap};
use std::collections::{HashMap, HashSet};

use crate::elab::ir::{ChannelDecl, Design, Dir, ProcessInstance, SharedPiece, Ty, UNBOUND, WIRED};
use crate::front::ast::Span;
use crate::kernel::ChannelInfo;

impl<'a> Elaborator<'a> {
    pub(super) fn connect(&mut self, a: &Resolved, b: &Resolved, span: &Span) {
        if a.nodes.len() != b.nodes.len() {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "cannot connect {} channel(s) to {}",
                        a.nodes.len(),
                        b.nodes.len()
                    ),
                )
                .with_note(a.span.clone(), format!("{} here", a.nodes.len()))
                .with_note(b.span.clone(), format!("{} here", b.nodes.len())),
            );
            return;
        }
        if a.pieces != b.pieces {
            // As ACT: a sparse array connects whole to one whose ranges agree in size.
            let text = |r: &Resolved| -> String {
                let pieces = match r.pieces.is_empty() {
                    true => std::slice::from_ref(&r.shape),
                    false => &r.pieces,
                };
                let ranges: Vec<String> = (pieces.iter())
                    .map(|p| p.iter().map(|n| format!("[{n}]")).collect())
                    .collect();
                ranges.join("+")
            };
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "cannot connect an array of ranges {} to an array of ranges {}: the types are not compatible",
                        text(a),
                        text(b)
                    ),
                )
                .with_note(a.span.clone(), text(a))
                .with_note(b.span.clone(), text(b))
                .with_hint("a sparse array (declared in ranges with gaps) connects whole only to one whose ranges have the same sizes; connect its elements instead"),
            );
            return;
        }
        let ranks = (a.shape.len(), b.shape.len());
        if ranks.0.min(ranks.1) >= 1 && ranks.0.max(ranks.1) > 1 && a.shape != b.shape {
            // As ACT: arrays connect element by element when their dimensions agree.
            let text = |s: &[usize]| -> String { s.iter().map(|n| format!("[{n}]")).collect() };
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "cannot connect an array {} to an array {}: their dimensions differ",
                        text(&a.shape),
                        text(&b.shape)
                    ),
                )
                .with_note(a.span.clone(), text(&a.shape))
                .with_note(b.span.clone(), text(&b.shape)),
            );
            return;
        }
        if let (Some(x), Some(y)) = (a.side, b.side) {
            if x == y {
                let what = if x { "send" } else { "receive" };
                self.diags.push(
                    Diagnostic::error(span.clone(), format!("both ends of this connection {what}"))
                        .with_note(a.span.clone(), format!("{what}s"))
                        .with_note(b.span.clone(), format!("{what}s too"))
                        .with_hint("connect an output port (chan!) to an input port (chan?)"),
                );
                return;
            }
        }
        for (&x, &y) in a.nodes.iter().zip(&b.nodes) {
            let is_variable = |n: &Node| n.kind == NodeKind::Variable;
            if is_variable(&self.nodes[x]) != is_variable(&self.nodes[y]) {
                let (var, chan) = if is_variable(&self.nodes[x]) {
                    (x, y)
                } else {
                    (y, x)
                };
                self.diags.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "`{}` is a variable but `{}` is a channel: they cannot be connected",
                            self.nodes[var].path, self.nodes[chan].path
                        ),
                    )
                    .with_note(self.nodes[var].span.clone(), "variable declared here")
                    .with_note(self.nodes[chan].span.clone(), "channel declared here"),
                );
                return;
            }
            let (wx, wy) = (self.whole_object(x), self.whole_object(y));
            let (rx, ry) = (self.find(wx), self.find(wy));
            let (tx, ty) = (self.net_carried(wx, rx), self.net_carried(wy, ry));
            // As ACT: channels of two record types do not connect, even related ones.
            let variables = is_variable(&self.nodes[x]);
            if !tx.related(&ty) || (!variables && tx != ty) {
                if variables && self.connect_extension((wx, &tx), (wy, &ty), span) {
                    self.note_link(x, a.inside, span);
                    self.note_link(y, b.inside, span);
                    continue;
                }
                self.diags.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "type mismatch: `{}` {verb} {} but `{}` {verb} {}",
                            self.nodes[x].path,
                            tx.name(),
                            self.nodes[y].path,
                            ty.name(),
                            verb = if is_variable(&self.nodes[x]) {
                                "is"
                            } else {
                                "carries"
                            },
                        ),
                    )
                    .with_note(self.nodes[x].span.clone(), self.declared_as(x, &tx))
                    .with_note(self.nodes[y].span.clone(), self.declared_as(y, &ty)),
                );
                return;
            }
            if !self.wire_dirs_agree(x, y, span) {
                return;
            }
            if !self.join_refined((x, rx), (y, ry), span) {
                return;
            }
            if tx != ty {
                // Records related by `<:`: the net is of the more specific one.
                (self.net_records).insert(ry, tx.more_specific(&ty).clone());
            }
            self.note_link(x, a.inside, span);
            self.note_link(y, b.inside, span);
            if variables {
                (self.var_links).push((x, y, self.stack.len() as u32));
            }
            self.parent[rx] = ry;
        }
    }

    /// "record `r1` declared here", and what a connection made it since, if anything.
    fn declared_as(&self, n: NodeId, now: &crate::elab::types::Carried) -> String {
        let declared = &self.nodes[n].carried;
        match declared == now {
            true => format!("{} declared here", declared.name()),
            false => format!(
                "{} declared here (a connection made it {})",
                declared.name(),
                now.name()
            ),
        }
    }

    /// What the net of node `n` (with root `root`) carries: the node's type, or the more
    /// specific record a connection to a record refining it gave the net.
    fn net_carried(&self, n: NodeId, root: NodeId) -> crate::elab::types::Carried {
        (self.net_records.get(&root)).map_or_else(|| self.nodes[n].carried.clone(), Clone::clone)
    }

    /// Whether the nets with roots `rx` and `ry` may become one, `ry` the root, as their
    /// refined types go: as in ACT, `int<1> x` connected to `d1of2 y` is a `d1of2`, which
    /// then cannot be connected to a `new` (another type refining `int<1>`).
    fn join_refined(
        &mut self,
        (x, rx): (NodeId, NodeId),
        (y, ry): (NodeId, NodeId),
        span: &Span,
    ) -> bool {
        if rx == ry {
            return true;
        }
        match (self.refined.get(&rx).cloned(), self.refined.get(&ry)) {
            (Some(tx), Some(ty)) if tx != *ty => {
                self.diags.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "cannot connect `{}` (a `{tx}`) and `{}` (a `{ty}`)",
                            self.nodes[x].path, self.nodes[y].path
                        ),
                    )
                    .with_label("the types differ (a connection gives each side the refined type of the other)")
                    .with_hint("two refined types of one type do not mix"),
                );
                false
            }
            (Some(tx), None) => {
                self.refined.insert(ry, tx);
                true
            }
            _ => true,
        }
    }

    /// Whether wires `x` and `y` may be connected as their direction flags go: as in ACT,
    /// `bool! x` connects to `bool y` but not to `bool? z` (the flags of the two declarations
    /// are compared, not those of what they are connected to already).
    fn wire_dirs_agree(&mut self, x: NodeId, y: NodeId, span: &Span) -> bool {
        match (self.wire_dirs.get(&x), self.wire_dirs.get(&y)) {
            (Some(dx), Some(dy)) if dx != dy => {
                self.diags.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "`{}` and `{}` are wires with opposite direction flags (`!` and `?`)",
                            self.nodes[x].path, self.nodes[y].path
                        ),
                    )
                    .with_label("cannot be connected")
                    .with_note(self.nodes[x].span.clone(), "declared here")
                    .with_note(self.nodes[y].span.clone(), "and here"),
                );
                false
            }
            _ => true,
        }
    }

    /// Records a connection of node `n`, made from inside its process or from outside.
    pub(super) fn note_link(&mut self, n: NodeId, inside: bool, span: &Span) {
        let node = &mut self.nodes[n];
        node.links += 1;
        let first = if inside {
            &mut node.inside
        } else {
            &mut node.outside
        };
        first.get_or_insert_with(|| span.clone());
    }

    pub(super) fn find(&mut self, mut n: NodeId) -> NodeId {
        while self.parent[n] != n {
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }

    /// Checks every net and produces the design's channels and processes.
    pub(crate) fn finish(mut self, sources: &SourceMap) -> Result<Design, Vec<Diagnostic>> {
        self.refine_plain_ends();
        self.join_views_of_same_bits();
        let nets = self.nets();
        let (channels, channel_of_net, wired) = self.channels(&nets);
        let lines = self.lay_nets(&nets.of_node, nets.count());
        if !self.diags.is_empty() {
            return Err(self.diags);
        }
        let wire_nets = self.wired_wire_nets(&nets, &channel_of_net);
        let namer = ScopeNamer::new(&self.var_links, &self.views);
        self.name_driven_nodes(&namer);
        let (processes, shared_vars, shared_of_line) =
            self.bind_processes(&nets, &channel_of_net, &wired, (&lines, &namer));
        let shared_of_net: Vec<usize> = (0..nets.count())
            .map(|net| (lines.single(net)).map_or(NO_NET, |line| shared_of_line[line]))
            .collect();
        let circuit = self.build_circuit(
            (&nets.of_node, &wire_nets),
            |net| nets.nodes(net).to_vec(),
            &shared_of_net,
        );
        let global_vars = self.file_scope_vars(&nets.of_node, &lines, &shared_of_line);
        let open = self.open_end_warnings();
        if !self.quiet_open_ends {
            self.warnings.extend(open);
        }
        self.warnings.sort_by_key(|d| d.span.start);
        Ok(Design {
            sources: sources.clone(),
            top: String::new(),
            root_scope: None,
            processes,
            channels,
            shared_vars,
            wired_pairs: wired.pair_of_end.len() / 2,
            wired_channels: wired.names,
            global_vars,
            default_delay: self.delays.default_delay(),
            reset_rounds: self.delays.reset_rounds(),
            timescale: self.delays.timescale(),
            warnings: self.warnings,
            circuit,
            initialize: (self.init_actions, self.init_last),
            level_warnings: self.level_warnings,
            instances: self.instances,
        })
    }

    /// Numbers the nets in the order of their first node (deterministic), and lists each
    /// net's nodes in node order: a counting sort, linear in the number of nodes.
    pub(super) fn nets(&mut self) -> Nets {
        let node_count = self.nodes.len();
        let mut net_of_root = vec![NO_NET; node_count];
        let mut of_node = Vec::with_capacity(node_count);
        let mut net_count = 0;
        for n in 0..node_count {
            let root = self.find(n);
            if net_of_root[root] == NO_NET {
                net_of_root[root] = net_count;
                net_count += 1;
            }
            of_node.push(net_of_root[root]);
        }
        let mut start = vec![0usize; net_count + 1];
        for &net in &of_node {
            start[net + 1] += 1;
        }
        for net in 0..net_count {
            start[net + 1] += start[net];
        }
        let mut members = vec![0; node_count];
        let mut next_slot = start.clone();
        for (n, &net) in of_node.iter().enumerate() {
            members[next_slot[net]] = n;
            next_slot[net] += 1;
        }
        Nets {
            of_node,
            start,
            members,
        }
    }

    /// The channels: one per net with a process's end on it. Returns them, each net's
    /// channel ([`NO_NET`] for none), the number of the pair of each CHP end of a wired
    /// channel whose other end is CHP too, and the CHP ends of wired channels that do not run
    /// their type's init method (see [`CircuitUse::runs_init`]).
    fn channels(&mut self, nets: &Nets) -> (Vec<ChannelDecl>, Vec<usize>, WiredEnds) {
        // Channels are numbered in the order of their sending ports, which is the design's
        // order (`b[0]`, `b[1]`, ...): the waveform lists them so.
        let mut order: Vec<(NodeId, usize)> = (0..nets.count())
            .map(|net| {
                let nodes = nets.nodes(net);
                let sender = nodes
                    .iter()
                    .find(|&&n| self.nodes[n].kind == NodeKind::Active(Dir::Send));
                (*sender.unwrap_or(&nodes[0]), net)
            })
            .collect();
        order.sort_unstable();
        let mut channel_of_net = vec![NO_NET; nets.count()];
        let mut channels = Vec::new();
        let wirable = self.wirable_ends(nets);
        let mut wired = WiredEnds::default();
        for (_, net) in order {
            if let Some(ends) = self.wired_ends(nets.nodes(net), &wirable) {
                channel_of_net[net] = WIRED;
                let number = wired.names.len() as u32;
                wired.names.push(self.net_names(nets.nodes(net)));
                wired
                    .channel_of_end
                    .extend(ends.iter().map(|&end| (end, number)));
                let uses: Vec<(Dir, CircuitUse)> = (ends.iter())
                    .filter_map(|end| match self.nodes[*end].kind {
                        NodeKind::Active(dir) => Some((dir, wirable[end])),
                        _ => None,
                    })
                    .collect();
                for (end, (dir, _)) in ends.iter().zip(&uses) {
                    if !CircuitUse::runs_init(*dir, &uses) {
                        wired.silent.insert(*end);
                    }
                }
                if let [a, b] = ends[..] {
                    let pair = (wired.pair_of_end.len() / 2) as u32;
                    wired.pair_of_end.insert(a, pair);
                    wired.pair_of_end.insert(b, pair);
                }
                continue;
            }
            if let Some(channel) = self.channel(nets.nodes(net)) {
                channel_of_net[net] = channels.len();
                channels.push(channel);
            }
        }
        (channels, channel_of_net, wired)
    }

    /// Every name of the net made of `nodes`, each once, in node order.
    fn net_names(&self, nodes: &[NodeId]) -> Box<[String]> {
        let mut names: Vec<String> = Vec::with_capacity(nodes.len());
        for &n in nodes {
            let name = &self.nodes[n].path;
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        names.into_boxed_slice()
    }

    /// The CHP ends that can use their channel over its wires (its type has methods), each
    /// with how a circuit uses those wires, through whatever `bool`s it is connected to: as
    /// actsim's fragmentation check counts them, a production rule's target drives its wire,
    /// and so do a pass gate's gates and source (its drain is read);
    /// a read (in a rule's guard) counts only of a wire its type gives no direction mark
    /// (`bool d`, where actsim guesses the direction from the circuit's port): a circuit
    /// that only reads marked wires watches a channel CHP runs.
    fn wirable_ends(&self, nets: &Nets) -> HashMap<NodeId, CircuitUse> {
        let (driven, read) = self.circuit_uses(nets);
        let mut ends = HashMap::new();
        for (_, program, port_nodes, var_nodes) in &self.processes {
            let shared = &program.vars[..program.shared_slots.min(var_nodes.len())];
            for (slot, &node) in program.ports.iter().zip(port_nodes) {
                if !slot.wired || node == UNBOUND_NODE {
                    continue;
                }
                let mut used = CircuitUse::default();
                for (var, &n) in shared.iter().zip(var_nodes) {
                    if !slot.owns_wire(&var.name) {
                        continue;
                    }
                    let net = nets.of_node[n];
                    let driver = slot.wire_driver(&var.name);
                    if driven[net] || (read[net] && driver.is_none()) {
                        used.drives(driver);
                    }
                }
                ends.insert(node, used);
            }
        }
        ends
    }

    /// Which nets a circuit drives and which it reads, as actsim's fragmentation check counts
    /// them: a production rule's target is driven, its guard read; a pass gate's gates and
    /// source are driven, its drain read.
    pub(super) fn circuit_uses(&self, nets: &Nets) -> (Vec<bool>, Vec<bool>) {
        let mut driven = vec![false; nets.count()];
        let mut read = vec![false; nets.count()];
        for (_, _, rule) in &self.circuit.rules {
            driven[nets.of_node[rule.target.index()]] = true;
            rule.guard
                .visit_nodes(&mut |n| read[nets.of_node[n.index()]] = true);
        }
        for (_, _, pass) in &self.circuit.passes {
            for n in [pass.n_gate, pass.p_gate, Some(pass.source)]
                .into_iter()
                .flatten()
            {
                driven[nets.of_node[n.index()]] = true;
            }
            read[nets.of_node[pass.drain.index()]] = true;
        }
        (driven, read)
    }

    /// The nets of the wires of every CHP end of a channel used over its wires: circuit nodes
    /// (as in actsim, where every `bool` of a process at the production-rule level is one),
    /// also those no rule names, so that the waveform and the transcript show every wire.
    /// Each with the channel's local name at its CHP end (the port's, `x` or `c[2]`).
    fn wired_wire_nets(&self, nets: &Nets, channel_of_net: &[usize]) -> Vec<(usize, String)> {
        let mut wires = Vec::new();
        for (_, program, port_nodes, var_nodes) in &self.processes {
            let shared = &program.vars[..program.shared_slots.min(var_nodes.len())];
            for (slot, &node) in program.ports.iter().zip(port_nodes) {
                if !slot.wired || node == UNBOUND_NODE {
                    continue;
                }
                if channel_of_net[nets.of_node[node]] != WIRED {
                    continue;
                }
                wires.extend(
                    (shared.iter().zip(var_nodes))
                        .filter(|(var, _)| slot.owns_wire(&var.name))
                        .map(|(_, &n)| (nets.of_node[n], slot.name.clone())),
                );
            }
        }
        wires
    }

    /// The CHP ends of the net made of `nodes` when it is a channel used over its wires: one
    /// CHP end that can use them (its type has methods; `wirable`) with a circuit at the
    /// other, a port of a process whose CHP does not use it (it runs its production rules on
    /// the wires); or one or two CHP ends with a circuit driving the wires (actsim's
    /// "fragmented" channel, whose every CHP end runs the methods).
    fn wired_ends(
        &self,
        nodes: &[NodeId],
        wirable: &HashMap<NodeId, CircuitUse>,
    ) -> Option<Vec<NodeId>> {
        let ends: Vec<NodeId> = (nodes.iter().copied())
            .filter(|&n| matches!(self.nodes[n].kind, NodeKind::Active(_)))
            .collect();
        let mut driven = false;
        for end in &ends {
            driven |= wirable.get(end)?.driven();
        }
        let circuit_port = || {
            nodes.iter().any(|&n| {
                self.nodes[n].kind == NodeKind::Through
                    && self.nodes[n].role == Role::Port { top: false }
            })
        };
        match ends.len() {
            1 if driven || circuit_port() => Some(ends),
            2 if driven => Some(ends),
            _ => None,
        }
    }

    /// The channel of the net made of `nodes`: `None` when no process's CHP uses it, or when
    /// it has two senders or two receivers (reported). A net open at one end is warned about.
    fn channel(&mut self, nodes: &[NodeId]) -> Option<ChannelDecl> {
        let with_kind = |kind: NodeKind| -> Vec<NodeId> {
            (nodes.iter().copied())
                .filter(|&n| self.nodes[n].kind == kind)
                .collect()
        };
        let senders = with_kind(NodeKind::Active(Dir::Send));
        let receivers = with_kind(NodeKind::Active(Dir::Receive));
        if senders.len() > 1 || receivers.len() > 1 {
            self.report_shared_end(&senders, &receivers);
            return None;
        }
        let (sender, receiver) = (senders.first().copied(), receivers.first().copied());
        // Without an end, nothing runs CHP on this net: it only passes through.
        let end = sender.or(receiver)?;
        if sender.is_none() || receiver.is_none() {
            let open = self.open_place(nodes).unwrap_or(end);
            let sends = self.nodes[end].kind == NodeKind::Active(Dir::Send);
            self.open_ends.push((open, sends));
        }
        let end_name = |n: Option<NodeId>| {
            n.map_or_else(|| OPEN_END.to_string(), |n| self.nodes[n].path.clone())
        };
        // A declared channel names the net, and so does a port of the top: inside the top it
        // is a channel between the instances it connects.
        let named = |role: Role| nodes.iter().find(|&&n| self.nodes[n].role == role);
        let path = named(Role::Channel)
            .or_else(|| named(Role::Port { top: true }))
            .map_or_else(
                || self.nodes[end].path.clone(),
                |&n| self.nodes[n].path.clone(),
            );
        let ty = self.nodes[end].carried.ty;
        let (sender_end, receiver_end) = (end_name(sender), end_name(receiver));
        // Every port the channel passes through names it too (a structural process's port).
        let mut aliases: Vec<String> = Vec::new();
        for &n in nodes {
            let name = &self.nodes[n].path;
            if ![&path, &sender_end, &receiver_end].contains(&name) && !aliases.contains(name) {
                aliases.push(name.clone());
            }
        }
        // The usual channel is named by its sending end: that name is kept once.
        let path = if path == sender_end {
            String::new()
        } else {
            path
        };
        Some(ChannelDecl {
            info: ChannelInfo {
                sender_end,
                receiver_end,
                path,
                aliases: aliases.into_boxed_slice(),
                width: ty.map_or(0, Ty::width),
            },
            ty,
        })
    }

    /// The processes, with their port slots bound to channels and their shared variables to
    /// numbers; also returns how many shared variables there are, and each line's ([`NO_NET`]
    /// for none).
    fn bind_processes(
        &mut self,
        nets: &Nets,
        channel_of_net: &[usize],
        wired: &WiredEnds,
        (lines, namer): (&Lines, &ScopeNamer),
    ) -> (Vec<ProcessInstance>, usize, Vec<usize>) {
        let mut processes = Vec::with_capacity(self.processes.len());
        // Each line of bits of nets of variable ports (a net alone, or a run of bits of
        // nets joined by views of record fields) is one shared variable, numbered in order
        // of first use.
        let mut shared_of_line = vec![NO_NET; lines.count()];
        let mut shared_vars = 0;
        let mut number = |line: usize| {
            if shared_of_line[line] == NO_NET {
                shared_of_line[line] = shared_vars;
                shared_vars += 1;
            }
            shared_of_line[line]
        };
        for (path, program, port_nodes, var_nodes) in std::mem::take(&mut self.processes) {
            let mut pieces = Vec::with_capacity(var_nodes.len());
            let shared = var_nodes
                .iter()
                .map(|&n| {
                    let net = nets.of_node[n];
                    let Some(all @ [first, more @ ..]) = lines.pieces(net) else {
                        pieces.push(Box::default());
                        return number(net);
                    };
                    let mut shared = |p: &Piece| SharedPiece {
                        shared: number(p.line),
                        lo: p.lo,
                        width: p.width,
                    };
                    let first = shared(first);
                    let mut list: Vec<SharedPiece> = more.iter().map(shared).collect();
                    if !list.is_empty() {
                        list.insert(0, first);
                    }
                    debug_assert!(list.is_empty() || list.len() == all.len());
                    pieces.push(list.into_boxed_slice());
                    first.shared
                })
                .collect();
            let ports = port_nodes
                .iter()
                .map(|&n| match n {
                    UNBOUND_NODE => UNBOUND,
                    n => channel_of_net[nets.of_node[n]],
                })
                .collect();
            let numbered = |of_end: &HashMap<NodeId, u32>| {
                (port_nodes.iter().enumerate())
                    .filter_map(|(slot, n)| Some((slot, *of_end.get(n)?)))
                    .collect()
            };
            let shown_names = self.shown_var_names(namer, &path, &program, &var_nodes);
            let silent_inits = (port_nodes.iter().enumerate())
                .filter(|(_, n)| wired.silent.contains(*n))
                .map(|(slot, _)| slot)
                .collect();
            processes.push(ProcessInstance {
                path,
                program,
                ports,
                wired_pairs: numbered(&wired.pair_of_end),
                wired_channels: numbered(&wired.channel_of_end),
                silent_inits,
                shown_names,
                shared,
                shared_pieces: (pieces.iter().any(|p| !p.is_empty())).then_some(pieces),
            });
        }
        (processes, shared_vars, shared_of_line)
    }

    /// A net with two senders or two receivers: an error at the second one to join. An end
    /// that a process's CHP holds on a file-scope channel is named by its process, at the
    /// process's declaration (the end's own path is the channel's).
    pub(super) fn report_shared_end(&mut self, senders: &[NodeId], receivers: &[NodeId]) {
        let (ends, what) = if senders.len() > 1 {
            (senders, "senders")
        } else {
            (receivers, "receivers")
        };
        let name = |n: NodeId| match self.file_channel_users.get(&n) {
            Some((process, _)) => format!("the CHP of `{process}`"),
            None => format!("`{}`", self.nodes[n].path),
        };
        let joined_at = |n: NodeId| {
            let node = &self.nodes[n];
            match self.file_channel_users.get(&n) {
                Some((_, declared)) => declared.clone(),
                None => (node.outside.clone().or(node.inside.clone())).unwrap_or(node.span.clone()),
            }
        };
        let (first, second) = (ends[0], ends[1]);
        let (first_at, second_at) = (joined_at(first), joined_at(second));
        let second_node = &self.nodes[second];
        let mut d = Diagnostic::error(
            second_at.clone(),
            format!(
                "channel connected twice: {} and {} are both {what} on it",
                name(first),
                name(second)
            ),
        )
        .with_label(if second_node.role == Role::OwnEnd {
            format!(
                "the CHP of this process also uses `{}` as one of its {what}",
                second_node.path
            )
        } else {
            format!("`{}` joins the channel here", second_node.path)
        });
        if first_at != second_at {
            d = d.with_note(first_at, format!("{} joined it here", name(first)));
        }
        let file_end = [first, second]
            .into_iter()
            .find(|n| self.file_channel_users.contains_key(n));
        if let Some(end) = file_end {
            let channel = &self.nodes[end];
            d = d.with_note(
                channel.span.clone(),
                format!("`{}` declared here, at file scope", channel.path),
            );
        }
        self.diags
            .push(d.with_hint("a channel joins exactly one sender and one receiver"));
    }
}

/// No net (or channel, or shared variable) yet.
const NO_NET: usize = usize::MAX;

/// The nets of the design: each node's net, and each net's nodes in node order.
pub(super) struct Nets {
    pub(super) of_node: Vec<usize>,
    /// Net `k`'s nodes are `members[start[k]..start[k + 1]]`.
    start: Vec<usize>,
    members: Vec<NodeId>,
}

impl Nets {
    pub(super) fn count(&self) -> usize {
        self.start.len() - 1
    }

    pub(super) fn nodes(&self, net: usize) -> &[NodeId] {
        &self.members[self.start[net]..self.start[net + 1]]
    }
}

/// The CHP ends of the wired channels.
#[derive(Default)]
struct WiredEnds {
    /// Each wired channel's names, in the channels' order (see [`Design::wired_channels`]).
    names: Vec<Box<[String]>>,
    /// Each end's channel, its number in `names`.
    channel_of_end: HashMap<NodeId, u32>,
    /// The ends of channels whose other end is CHP too, each with its pair's number.
    pair_of_end: HashMap<NodeId, u32>,
    /// The ends that run no init method.
    silent: HashSet<NodeId>,
}

/// How a circuit uses the wires of a wired channel's CHP end, as actsim's `fragmented`
/// flags record it: whether it drives a wire the type marks as the receiver's (`bool!? a`:
/// the circuit receives), one marked as the sender's (`bool?! t`: it sends), or drives or
/// reads one without a mark.
#[derive(Clone, Copy, Default)]
pub(super) struct CircuitUse {
    receives: bool,
    sends: bool,
    unmarked: bool,
}

impl CircuitUse {
    fn drives(&mut self, wire_driver: Option<Dir>) {
        match wire_driver {
            Some(Dir::Receive) => self.receives = true,
            Some(Dir::Send) => self.sends = true,
            None => self.unmarked = true,
        }
    }

    fn driven(self) -> bool {
        self.receives || self.sends || self.unmarked
    }

    /// Whether the CHP end of direction `dir` runs its type's init method, among the CHP ends
    /// of one channel (`ends`, with their circuits' uses). actsim runs one init per channel,
    /// at the start: `send_init` when the circuit only receives, `recv_init` when it only
    /// sends, none when it does both. A wire without a mark counts as the circuit's being
    /// the other end of a lone CHP end (actsim guesses from the circuit's own port); beside
    /// two CHP ends it says nothing.
    fn runs_init(dir: Dir, ends: &[(Dir, CircuitUse)]) -> bool {
        let (mut receives, mut sends) = (false, false);
        for (end, used) in ends {
            receives |= used.receives;
            sends |= used.sends;
            if ends.len() == 1 && used.unmarked {
                receives |= *end == Dir::Send;
                sends |= *end == Dir::Receive;
            }
        }
        match dir {
            Dir::Send => receives && !sends,
            Dir::Receive => sends && !receives,
        }
    }
}
