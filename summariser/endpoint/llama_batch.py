"""Several greedy requests decoded at once on one llama.cpp context.

A 2-core machine generates one token of this model in ~25 ms, two tokens of two
sequences in one batch in ~40 ms and four in ~64 ms: generation is bound by reading the
weights, not by arithmetic, so decoding an article's independent calls side by side
raises throughput. llama-cpp-python's server answers one request at a time; this engine
keeps up to ``slots`` requests in flight, each in its own llama.cpp sequence of one
unified KV cache, and every step decodes the next token of each of them (plus a chunk of
any prompt still being read) in one batch.

Prompts that share a prefix share its KV cells: a request whose prompt starts like a
sequence already evaluated gets those cells by ``seq_cp`` (no computation) and reads
only the rest; a request whose prefix another request is still reading waits for it.
Each sequence keeps its cells after its request ends, for the next request to reuse.

Decoding is greedy (the caller's ``temperature`` must be 0), under the request's grammar
if it has one, through :class:`~summariser.endpoint.llama_serve.GreedyGrammarSampler`.
A request with a :class:`Forcer` also gets, after each sampled token, the text its JSON
schema fixes from there (keys, brackets, the rest of an enum value): those tokens are
checked against the grammar, appended to the reply and read in the next step together
with the sampled one, like a short prompt, instead of costing a step each. A step of one
token costs ~32 ms here; a step that reads sixteen more tokens of the same sequence ~180 ms.
One thread owns the llama.cpp context; callers block on :meth:`Engine.complete`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Protocol

import llama_cpp
import numpy as np
from llama_cpp import _internals

# a request that could reuse this many more tokens from a prompt still being read waits
WAIT_FOR_PREFIX = 32


class Sampler(Protocol):
    def sample(self, ctx: Any, idx: int = -1) -> int: ...


class Forcer(Protocol):
    """Follows a reply as it grows and says what text must come next (see
    :mod:`summariser.endpoint.json_forcing`)."""

    def feed_bytes(self, data: bytes) -> None: ...

    def forced(self) -> str: ...


class ArgmaxSampler:
    """Greedy pick without a grammar."""

    def __init__(self, n_vocab: int) -> None:
        self.n_vocab = n_vocab

    def sample(self, ctx: Any, idx: int = -1) -> int:
        pointer = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        return int(np.argmax(np.ctypeslib.as_array(pointer, shape=(self.n_vocab,))))


class PromptTooLong(ValueError):
    """The prompt leaves no room for a reply in a request's context window."""

    def __init__(self, tokens: int, context: int) -> None:
        super().__init__(f"Requested tokens ({tokens}) exceed context window of {context}")
        self.tokens = tokens
        self.context = context


class EngineError(RuntimeError):
    """llama.cpp refused a batch (for example no free KV cells); the requests in it fail."""


@dataclass
class Request:
    """One completion: prompt tokens in; completion tokens, finish reason and the count of
    prompt tokens served from the KV cache out."""

    prompt: list[int]
    max_tokens: int
    sampler: Sampler
    stop: Sequence[str] = ()
    forcer: Optional[Forcer] = None  # with a sampler that can ``force``: jump-forward
    completion: list[int] = field(default_factory=list)
    forced: int = 0  # completion tokens appended without being sampled
    text: str = ""
    finish_reason: str = ""
    cached: int = 0
    error: Optional[BaseException] = None
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Slot:
    seq: int
    tokens: list[int] = field(default_factory=list)  # tokens whose KV this sequence holds
    request: Optional[Request] = None
    pending: list[int] = field(default_factory=list)  # prompt tokens still to read
    feed: list[int] = field(default_factory=list)  # reply tokens not yet evaluated
    used: float = 0.0  # when its last request ended


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of the longest common prefix of two token lists."""
    n = min(len(a), len(b))
    if n == 0:
        return 0
    x = np.asarray(a[:n], dtype=np.int64)
    y = np.asarray(b[:n], dtype=np.int64)
    differ = np.flatnonzero(x != y)
    return int(differ[0]) if differ.size else n


class Engine:
    """Up to ``slots`` requests decoded together on ``model`` (a ``llama_cpp.Llama``).

    ``context`` is each request's window (prompt plus reply), as a one-request server's
    ``n_ctx``; the KV cache holds ``context * slots`` cells, so every sequence fits even
    when no prefix is shared.
    """

    def __init__(self, model: Any, *, slots: int, context: int, batch: int = 512) -> None:
        if slots < 1:
            raise ValueError(f"slots={slots}: give at least 1")
        self.model = model
        self.context = context
        self.n_batch = batch
        params = model.context_params
        params.n_ctx = context * slots
        params.n_batch = batch
        params.n_ubatch = min(batch, params.n_ubatch or batch)
        params.n_seq_max = slots
        params.kv_unified = True
        self._ctx = _internals.LlamaContext(model=model._model, params=params, verbose=False)
        self._memory = llama_cpp.llama_get_memory(self._ctx.ctx)
        self._batch = llama_cpp.llama_batch_init(batch, 0, 1)
        self._slots = [_Slot(seq=i) for i in range(slots)]
        self._queue: deque[Request] = deque()
        self._wake = threading.Condition()
        self._closed = False
        self.steps = 0
        self._thread = threading.Thread(target=self._run, daemon=True, name="llama-batch")
        self._thread.start()

    # --- callers -----------------------------------------------------------------------

    def complete(self, request: Request, timeout: Optional[float] = None) -> Request:
        """Queue ``request`` and wait for it; raises its error if it failed."""
        if not request.prompt:
            raise ValueError("the prompt has no tokens")
        if len(request.prompt) >= self.context:
            raise PromptTooLong(len(request.prompt), self.context)
        room = self.context - len(request.prompt)
        request.max_tokens = room if request.max_tokens <= 0 else min(request.max_tokens, room)
        with self._wake:
            if self._closed:
                raise EngineError("the engine is closed")
            self._queue.append(request)
            self._wake.notify()
        if not request.done.wait(timeout):
            raise TimeoutError("no reply in time")
        if request.error is not None:
            raise request.error
        return request

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join(timeout=30)
        if self._batch is not None:
            llama_cpp.llama_batch_free(self._batch)
            self._batch = None
        self._ctx.close()  # type: ignore[no-untyped-call]

    # --- the decoding thread -----------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._closed and not self._queue and not self._active():
                    self._wake.wait()
                if self._closed:
                    for request in self._queue:
                        self._fail(request, EngineError("the engine was closed"))
                    self._queue.clear()
                    for slot in self._active():
                        self._finish_with(slot, EngineError("the engine was closed"))
                    return
                self._admit()
            try:
                self._step()
            except Exception as error:  # a failed decode fails the requests it carried
                for slot in self._active():
                    self._finish_with(slot, error)
                    self._forget(slot)

    def _active(self) -> list[_Slot]:
        return [s for s in self._slots if s.request is not None]

    def _admit(self) -> None:
        """Give queued requests free sequences, reusing the longest evaluated prefix."""
        for request in list(self._queue):
            free = [s for s in self._slots if s.request is None]
            if not free:
                return
            source, shared = max(
                ((s, common_prefix(s.tokens, request.prompt)) for s in self._slots),
                key=lambda pair: pair[1],
            )
            reading = [
                common_prefix(s.tokens + s.pending, request.prompt)
                for s in self._slots
                if s.request is not None and s.pending
            ]
            if reading and max(reading) > shared + WAIT_FOR_PREFIX:
                continue  # its prefix is being read right now: take the cells after
            self._queue.remove(request)
            self._place(request, source, shared, free)

    def _place(self, request: Request, source: _Slot, shared: int, free: list[_Slot]) -> None:
        # a prompt identical to cached tokens still needs its last token read, for logits
        reuse = min(shared, len(request.prompt) - 1)
        if source in free:
            target = source
        else:  # keep the free sequence whose cells are least worth keeping
            target = min(free, key=lambda s: (common_prefix(s.tokens, request.prompt), s.used))
            if common_prefix(target.tokens, request.prompt) < reuse:
                llama_cpp.llama_memory_seq_rm(self._memory, target.seq, 0, -1)
                llama_cpp.llama_memory_seq_cp(self._memory, source.seq, target.seq, 0, reuse)
                target.tokens = request.prompt[:reuse]
        llama_cpp.llama_memory_seq_rm(self._memory, target.seq, reuse, -1)
        del target.tokens[reuse:]
        # idle sequences keep only what they share with the new prompt: every token
        # attends over the cache's used range, so stale cells (an article done with, a
        # part read before) slow every later step
        for idle in free:
            if idle is not target:
                keep = common_prefix(idle.tokens, request.prompt)
                llama_cpp.llama_memory_seq_rm(self._memory, idle.seq, keep, -1)
                del idle.tokens[keep:]
        target.request = request
        target.pending = request.prompt[reuse:] + self._force(request)
        target.feed = []
        request.cached = reuse

    def _step(self) -> None:
        """One llama_decode: the next token of every generating sequence, then prompt
        chunks while the batch has room; then one sampled token per sequence that is due."""
        batch = self._batch
        assert batch is not None
        n = 0
        due: list[tuple[_Slot, int]] = []  # sequences to sample, and their logits row
        reads: list[tuple[_Slot, list[int]]] = []

        def add(token: int, pos: int, seq: int, logits: bool) -> None:
            nonlocal n
            batch.token[n] = token
            batch.pos[n] = pos
            batch.n_seq_id[n] = 1
            batch.seq_id[n][0] = seq
            batch.logits[n] = logits
            n += 1

        for slot in self._active():
            if slot.feed:
                start = len(slot.tokens)
                for offset, token in enumerate(slot.feed):
                    add(token, start + offset, slot.seq, offset == len(slot.feed) - 1)
                due.append((slot, n - 1))
                reads.append((slot, slot.feed))
                slot.feed = []
        for slot in self._active():
            if not slot.pending or n >= self.n_batch:
                continue
            chunk = slot.pending[: self.n_batch - n]
            last = len(chunk) == len(slot.pending)
            start = len(slot.tokens)
            for offset, token in enumerate(chunk):
                add(token, start + offset, slot.seq, last and offset == len(chunk) - 1)
            if last:
                due.append((slot, n - 1))
            reads.append((slot, chunk))
        if n == 0:
            return
        batch.n_tokens = n
        code = llama_cpp.llama_decode(self._ctx.ctx, batch)
        if code != 0:
            raise EngineError(
                f"llama_decode returned {code}"
                + (" (no free KV cells for the batch)" if code == 1 else "")
            )
        self.steps += 1
        for slot, tokens in reads:
            slot.tokens += tokens
            if slot.pending:
                del slot.pending[: len(tokens)]
        for slot, row in due:
            self._sample(slot, row)

    def _sample(self, slot: _Slot, row: int) -> None:
        request = slot.request
        assert request is not None
        try:
            token = request.sampler.sample(self._ctx, row)
        except Exception as error:
            self._finish_with(slot, error)
            return
        if llama_cpp.llama_vocab_is_eog(self.model._model.vocab, token):
            self._finish(slot, "stop")
            return
        request.completion.append(token)
        if request.forcer is not None:
            request.forcer.feed_bytes(self.model.detokenize([token]))
        forced = self._force(request)
        if request.stop and self._stopped(request):
            self._finish(slot, "stop")
        elif len(request.completion) >= request.max_tokens:
            self._finish(slot, "length")
        else:
            slot.feed = [token, *forced]

    def _force(self, request: Request) -> list[int]:
        """Tokens the schema leaves no choice about, appended to the reply unsampled.

        The forced text is tokenised alone and its last token left to the model, which
        may join it with what follows; each token is checked against the grammar before
        it is accepted, so a wrong prediction only ends the run early.
        """
        force = getattr(request.sampler, "force", None)
        forcer = request.forcer
        if forcer is None or force is None:
            return []
        accepted: list[int] = []
        try:
            text = forcer.forced()
            if not text:
                return []
            tokens = self.model.tokenize(text.encode("utf-8"), add_bos=False, special=False)
            room = min(
                request.max_tokens - len(request.completion) - 1,  # one left to sample
                self.n_batch // len(self._slots) - 1,  # every sequence's run fits a batch
            )
            for token in tokens[:-1][: max(room, 0)]:
                if not force(token):
                    break
                accepted.append(token)
                request.completion.append(token)
                forcer.feed_bytes(self.model.detokenize([token]))
        except Exception:  # a prediction that fails costs speed, never the reply
            request.forcer = None
        request.forced += len(accepted)
        return accepted

    def _text(self, request: Request) -> str:
        raw: bytes = self.model.detokenize(request.completion, prev_tokens=request.prompt)
        return raw.decode("utf-8", errors="ignore")

    def _stopped(self, request: Request) -> bool:
        text = self._text(request)
        return any(stop and stop in text for stop in request.stop)

    def _finish(self, slot: _Slot, reason: str) -> None:
        request = slot.request
        assert request is not None
        text = self._text(request)
        cut = [text.index(stop) for stop in request.stop if stop and stop in text]
        request.text = text[: min(cut)] if cut else text
        request.finish_reason = reason
        self._release(slot)
        request.done.set()

    def _finish_with(self, slot: _Slot, error: BaseException) -> None:
        request = slot.request
        self._release(slot)
        if request is not None:
            self._fail(request, error)

    def _release(self, slot: _Slot) -> None:
        slot.request = None
        slot.pending = []
        slot.feed = []
        slot.used = time.monotonic()

    def _forget(self, slot: _Slot) -> None:
        llama_cpp.llama_memory_seq_rm(self._memory, slot.seq, 0, -1)
        slot.tokens = []

    @staticmethod
    def _fail(request: Request, error: BaseException) -> None:
        request.error = error
        request.done.set()
