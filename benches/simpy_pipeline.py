"""The seed's pipeline (source -> N buffers -> sink) in SimPy, for a fair speed comparison.

Each channel is a rendezvous: the sender puts the value in a one-slot store and waits for the
receiver's acknowledgement, so a handshake completes only when both sides are there, as in
chpsim. Prints: handshakes seconds
"""
import sys
import time

import simpy


class Channel:
    def __init__(self, env):
        self.data = simpy.Store(env, capacity=1)
        self.ack = simpy.Store(env, capacity=1)

    def send(self, value):
        yield self.data.put(value)
        yield self.ack.get()

    def recv(self):
        value = yield self.data.get()
        yield self.ack.put(None)
        return value


def source(env, out, tokens):
    for v in range(tokens):
        yield from out.send(v)
        yield env.timeout(10)


def buffer(env, inp, out):
    while True:
        x = yield from inp.recv()
        yield env.timeout(10)
        yield from out.send(x)


def sink(env, inp, tokens, counter):
    for _ in range(tokens):
        yield from inp.recv()
        counter[0] += 1


def main():
    buffers, tokens = int(sys.argv[1]), int(sys.argv[2])
    env = simpy.Environment()
    chans = [Channel(env) for _ in range(buffers + 1)]
    counter = [0]
    env.process(source(env, chans[0], tokens))
    for i in range(buffers):
        env.process(buffer(env, chans[i], chans[i + 1]))
    env.process(sink(env, chans[-1], tokens, counter))
    start = time.perf_counter()
    env.run()
    elapsed = time.perf_counter() - start
    assert counter[0] == tokens
    print(tokens * (buffers + 1), elapsed)


if __name__ == "__main__":
    main()
