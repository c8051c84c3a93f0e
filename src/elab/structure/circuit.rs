//! Production rules: each instance's `prs { }` bodies, expanded (loops, `tree`, `subckt`) and
//! resolved to the design's nodes, then, once the nets are known, one netlist for the engine.
//!
//! A node of the netlist is a net of `bool`s: a process's `bool` port, or a `bool` its body
//! declares and uses in rules or connects (a port list joins them into one net). It is named
//! by its shortest path (`r.x[3]` rather than `r.g[3].a`); the rules of an instance name it as
//! the instance does (its local name, for actsim's warnings). A process with production rules
//! runs them, not its CHP (the most detailed level, as actsim).
use std::collections::HashMap;

use super::Elaborator;
use crate::elab::ir::Circuit;
use crate::kernel::NodeId;
use crate::prs::netlist::{InstanceId, NetlistBuilder, PassGate, Rule};
use crate::prs::spec::Directive;

/// The rules found so far, over the elaborator's nodes (not yet nets).
#[derive(Default)]
pub(super) struct CircuitRules {
    /// Each instance with rules: its path and its process type as actsim names it.
    pub(super) instances: Vec<(String, String)>,
    pub(super) rules: Vec<(u32, String, Rule)>,
    /// The pass gates, each with its instance and its drain's local name.
    pub(super) passes: Vec<(u32, String, PassGate)>,
    /// The `spec` directives, over the elaborator's nodes.
    pub(super) specs: Vec<Directive>,
}

impl Elaborator<'_> {
    /// The netlist of the rules found, over nets: `None` when the design has no rules.
    /// `net_of` gives each elaborator node's net; `wire_nets` the nets that are nodes though
    /// no rule may name them (the wires of channels between CHP and circuits, each with its
    /// channel's local name); `nets` each
    /// net's nodes; `shared_of_net` the CHP shared variable of a net, if any (`usize::MAX`).
    pub(super) fn build_circuit(
        &mut self,
        (net_of, wire_nets): (&[usize], &[(usize, String)]),
        nets: impl Fn(usize) -> Vec<usize>,
        shared_of_net: &[usize],
    ) -> Option<Circuit> {
        let found = std::mem::take(&mut self.circuit);
        if found.rules.is_empty() && found.passes.is_empty() && found.specs.is_empty() {
            return None;
        }
        // The nets the rules use, numbered in net order (the design's order).
        let mut used = vec![false; shared_of_net.len()];
        for (_, _, rule) in &found.rules {
            used[net_of[rule.target.index()]] = true;
            rule.guard
                .visit_nodes(&mut |n| used[net_of[n.index()]] = true);
        }
        for (_, _, pass) in &found.passes {
            pass.nodes().for_each(|n| used[net_of[n.index()]] = true);
        }
        for directive in &found.specs {
            directive.visit_nodes(&mut |n| used[net_of[n.index()]] = true);
        }
        for &(net, _) in wire_nets {
            used[net] = true;
        }
        // The file's global bools (`Vdd`, `GND`, `Reset`) are nodes even when no rule reads
        // them, as in actsim, where a script sets them (`set Vdd 1`); not one CHP shares, which
        // stays a CHP variable.
        for entry in self.file_signals.values() {
            let nodes = entry.first..entry.first + entry.len();
            for (node, &net) in self.nodes[nodes.clone()].iter().zip(&net_of[nodes]) {
                let is_bool = node.kind == super::NodeKind::Variable
                    && node.carried.ty == Some(crate::elab::ir::Ty::Bool);
                if is_bool && shared_of_net[net] == usize::MAX {
                    used[net] = true;
                }
            }
        }
        let mut builder = NetlistBuilder::new();
        let mut node_of_net = vec![NodeId::from_index(0); used.len()];
        let mut chp_var = Vec::new();
        // actsim names a channel's method writes by the channel's name where it first met it.
        let mut channel_of_wire: Vec<Option<&str>> = vec![None; used.len()];
        for (net, channel) in wire_nets {
            channel_of_wire[*net].get_or_insert(channel);
        }
        let mut method_wires = HashMap::new();
        for (node, (net, _)) in (used.iter().enumerate().filter(|(_, &u)| u)).enumerate() {
            let members = nets(net);
            let canonical = members
                .iter()
                .min_by_key(|&&n| (self.nodes[n].path.matches('.').count(), n))
                .copied();
            let name = canonical.map(|n| self.nodes[n].path.clone());
            node_of_net[net] = builder.node(name.unwrap_or_default());
            for &n in members.iter().filter(|&&n| Some(n) != canonical) {
                builder.alias(self.nodes[n].path.clone(), node_of_net[net]);
            }
            chp_var.push(match shared_of_net[net] {
                usize::MAX => u32::MAX,
                var => var as u32,
            });
            if let Some(channel) = channel_of_wire[net] {
                method_wires.insert(node as u32, channel.into());
            }
        }
        // actsim's `status` lists the top's `bool` ports when the top runs rules of its own.
        if found.instances.iter().any(|(path, _)| path.is_empty()) {
            for (node, &net) in self.nodes.iter().zip(net_of) {
                let is_bool = node.kind == super::NodeKind::Variable
                    && node.carried.ty == Some(crate::elab::ir::Ty::Bool);
                if is_bool && node.role == (super::Role::Port { top: true }) && used[net] {
                    builder.top_port(node.path.clone(), node_of_net[net]);
                }
            }
        }
        let instances: Vec<InstanceId> = (found.instances.into_iter())
            .map(|(name, type_name)| builder.instance(name, &type_name))
            .collect();
        let map = |n: NodeId| node_of_net[net_of[n.index()]];
        for (instance, local, mut rule) in found.rules {
            rule.target = map(rule.target);
            rule.guard.map_nodes(&map);
            builder.rule(instances[instance as usize], &local, rule);
        }
        for (instance, local, mut pass) in found.passes {
            pass.map_nodes(&map);
            builder.pass_gate(instances[instance as usize], &local, pass);
        }
        let specs = (found.specs.into_iter())
            .map(|mut d| {
                d.map_nodes(&map);
                d
            })
            .collect();
        Some(Circuit {
            netlist: builder.build(),
            chp_var,
            method_wires,
            specs,
        })
    }
}
