//! The names behind the ids in the kernel's events: channels, processes, variables and
//! circuit nodes, as the run registered them.
use super::{ChanId, NodeId, ProcId, VarId};

/// The names behind the ids in events: every channel's [`ChannelInfo`] and every process's
/// name, in the order they were made.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    channels: Vec<ChannelInfo>,
    processes: Vec<String>,
    variables: Vec<VariableInfo>,
    nodes: Vec<String>,
    /// The other names of nodes (a port of an instance connected to one), in order added.
    node_aliases: Vec<(NodeId, String)>,
    /// The channels between CHP and circuits, each by its names (see
    /// [`Registry::add_wired_channel`]).
    wired_channels: Vec<Box<[String]>>,
    /// What messages call the process with the empty path (see [`Registry::shown_process`]).
    top_name: String,
}

impl Registry {
    /// An empty registry (the kernel fills its own; this one is for testing an observer).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a channel and returns its id.
    pub fn add_channel(&mut self, info: ChannelInfo) -> ChanId {
        self.channels.push(info);
        ChanId::from_index(self.channels.len() - 1)
    }

    /// Adds a process and returns its id.
    pub fn add_process(&mut self, name: impl Into<String>) -> ProcId {
        self.processes.push(name.into());
        ProcId::from_index(self.processes.len() - 1)
    }

    /// How channel `id` is named.
    pub fn channel(&self, id: ChanId) -> &ChannelInfo {
        &self.channels[id.index()]
    }

    /// The name of process `id`.
    pub fn process(&self, id: ProcId) -> &str {
        &self.processes[id.index()]
    }

    /// Names the process with the empty path (the top of an interpreted design) in messages:
    /// `test`, `fifo<8>`. actsim's log lines keep calling it `<>`.
    pub fn set_top_name(&mut self, name: impl Into<String>) {
        self.top_name = name.into();
    }

    /// The name of process `id` as messages show it: its path, or for the empty path the
    /// top's name (`<>` when none was set).
    pub fn shown_process(&self, id: ProcId) -> &str {
        self.shown_path(self.process(id))
    }

    /// A process path as messages show it (see [`Registry::shown_process`]).
    pub fn shown_path<'a>(&'a self, path: &'a str) -> &'a str {
        match (path.is_empty(), self.top_name.is_empty()) {
            (false, _) => path,
            (true, false) => &self.top_name,
            (true, true) => "<>",
        }
    }

    /// Every channel with its id, in id order.
    pub fn channels(&self) -> impl ExactSizeIterator<Item = (ChanId, &ChannelInfo)> {
        (self.channels.iter().enumerate()).map(|(i, info)| (ChanId::from_index(i), info))
    }

    /// Every process with its id, in id order.
    pub fn processes(&self) -> impl ExactSizeIterator<Item = (ProcId, &str)> {
        (self.processes.iter().enumerate()).map(|(i, name)| (ProcId::from_index(i), name.as_str()))
    }

    /// How many channels there are.
    pub fn channel_count(&self) -> usize {
        self.channels.len()
    }

    /// How many processes there are.
    pub fn process_count(&self) -> usize {
        self.processes.len()
    }

    /// Adds a variable whose writes are reported
    /// ([`Event::Variable`](crate::kernel::Event::Variable)) and returns its id.
    pub fn add_variable(&mut self, info: VariableInfo) -> VarId {
        self.variables.push(info);
        VarId::from_index(self.variables.len() - 1)
    }

    /// Adds a circuit node by its path (`top.r.x[5]`) and returns its id.
    pub fn add_node(&mut self, path: impl Into<String>) -> NodeId {
        self.nodes.push(path.into());
        NodeId::from_index(self.nodes.len() - 1)
    }

    /// Gives node `id` another name (`top.g[3].a` for `top.x[3]`), under which the waveform
    /// shows it too.
    pub fn add_node_alias(&mut self, id: NodeId, path: impl Into<String>) {
        self.node_aliases.push((id, path.into()));
    }

    /// Every other name of a node, with the node, in the order given.
    pub fn node_aliases(&self) -> impl ExactSizeIterator<Item = (NodeId, &str)> {
        (self.node_aliases.iter()).map(|(id, path)| (*id, path.as_str()))
    }

    /// Adds a channel between a CHP end and a circuit, which the CHP end runs by its type's
    /// methods on the wires (no kernel channel carries it), by its names (`s.x`, `t.x`), and
    /// returns its number: [`Event::Method`](crate::kernel::Event::Method) tells what its CHP
    /// ends do.
    pub fn add_wired_channel(&mut self, names: Box<[String]>) -> u32 {
        self.wired_channels.push(names);
        (self.wired_channels.len() - 1) as u32
    }

    /// Every channel between CHP and a circuit with its number and its names, in number order.
    pub fn wired_channels(&self) -> impl ExactSizeIterator<Item = (u32, &[String])> {
        (self.wired_channels.iter().enumerate()).map(|(i, names)| (i as u32, &names[..]))
    }

    /// The path of node `id`.
    pub fn node(&self, id: NodeId) -> &str {
        &self.nodes[id.index()]
    }

    /// Every circuit node with its id, in id order (none unless the design has production
    /// rules).
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = (NodeId, &str)> {
        (self.nodes.iter().enumerate()).map(|(i, path)| (NodeId::from_index(i), path.as_str()))
    }

    /// Every variable with its id, in id order (none unless a process registers them: the
    /// interpreter does with `--vcd-vars`).
    pub fn variables(&self) -> impl ExactSizeIterator<Item = (VarId, &VariableInfo)> {
        (self.variables.iter().enumerate()).map(|(i, info)| (VarId::from_index(i), info))
    }
}

/// A variable of a process, as the waveform shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableInfo {
    /// The process it belongs to.
    pub process: ProcId,
    /// Its name in the process, e.g. `x`, `mem[3]`.
    pub name: String,
    /// Width in bits (a `bool` is 1).
    pub width: u32,
    /// Its value before the first write; `None` is undefined (X).
    pub initial: Option<u64>,
    /// Whether it is a `bool` (a record's field too): its values are bits.
    pub is_bool: bool,
}

/// How a channel is named in outputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelInfo {
    /// The sending end, e.g. `top.src.R`.
    pub sender_end: String,
    /// The receiving end, e.g. `top.b[0].L`.
    pub receiver_end: String,
    /// The channel's own name (dot-separated), e.g. `top.c` for a channel declared in `top`;
    /// empty when it is its sending end (most channels: no second copy of the name is kept).
    /// Read it with [`ChannelInfo::path`].
    pub path: String,
    /// The other names of the channel: the ports it passes through on its way between the two
    /// ends (`top.mid.L` when `mid`'s port `L` is connected inside `mid` to `b.L`).
    pub aliases: Box<[String]>,
    /// Data width in bits; 0 for a dataless channel.
    pub width: u32,
}

impl ChannelInfo {
    /// The name of an end that nothing is connected to.
    pub const OPEN_END: &'static str = "(unconnected)";

    /// The channel's own name: the waveform declares the channel there, at both ends, and at
    /// every alias.
    pub fn path(&self) -> &str {
        match self.path.as_str() {
            "" => &self.sender_end,
            path => path,
        }
    }

    /// Every name of the channel, each once, in a fixed order: its path, its sending and
    /// receiving ends (when connected), then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = Vec::with_capacity(3 + self.aliases.len());
        [self.path(), &self.sender_end, &self.receiver_end]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
            .filter(|name| *name != Self::OPEN_END)
            .filter(move |name| {
                let new = !seen.contains(name);
                if new {
                    seen.push(name);
                }
                new
            })
    }

    /// A channel shown under its sending end, the usual place a designer looks for it.
    pub fn between(
        sender_end: impl Into<String>,
        receiver_end: impl Into<String>,
        width: u32,
    ) -> Self {
        Self {
            path: String::new(),
            sender_end: sender_end.into(),
            receiver_end: receiver_end.into(),
            aliases: Box::default(),
            width,
        }
    }
}
