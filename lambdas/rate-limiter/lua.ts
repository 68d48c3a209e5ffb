// The Redis side of the limiter: three atomic scripts over one creator's keys (all `{userId}`-tagged,
// so one hash slot: Redis Cluster runs them unchanged). Time is always the server's `TIME`: every
// Lambda instance shares that one clock, so a skewed instance clock cannot over-admit. Redis 7
// replicates scripts as effects, so reading TIME is allowed. Replies are integers and strings only
// (Redis truncates Lua floats); all arithmetic is on integers (see `units()` in config.ts).
//
// The model these scripts implement (and `model.ts` mirrors, line for line):
// - A *send* is a grant made at server time `now`; only grants are recorded, never future slots,
//   so both invariants hold on the recorded times whatever SQS does with delays.
// - Window log: the grant times still inside the window, packed in the state string; a grant needs
//   fewer than perWindow of them in (now - W, now].
// - Token bucket: level in units (one token = W units, refill perWindow units per ms, capacity
//   burst × W); a grant costs one token.
// - The line: a FIFO of waiting messages per creator (ticket = seq). Every decision first *drains*
//   the line: grants its head(s) while both constraints allow, whichever message's wake-up is
//   running. So the order of sends is the order the limiter first saw messages, even when SQS
//   delivers delayed copies out of order, and a waiting message keeps its place (reserved) without
//   re-polling. Bodies of waiting messages are kept so any wake-up can send them. The line does
//   not move while a send of the creator is in flight, so POSTs from concurrent invocations cannot
//   overtake one another on the way to OnlyFans.
// - Idempotency: a sent or dead-lettered messageId is remembered for the idempotency TTL by its own
//   marker key (`<done>:<messageId>`, a string with that TTL, set at the start of the store's next
//   decide call, see `doneMarkerKey`); the in-flight leases (packed in the state string) hold granted
//   sends until their outcome is known (a lease: a crashed invocation's message goes back to the head
//   of the line when it expires). A lease whose marker exists is over: the next script of the creator
//   drops it (and the message's stored body), so recording "sent" rewrites no state. A POST
//   failure puts the message back at the head and pauses the line (backoff / Retry-After): retried,
//   never suppressed.
// - Cost: the whole per-creator state (bucket, window log, line size, in-flight leases) is one
//   binary string of doubles (Redis' built-in `struct` library: no text formatting or parsing in
//   Lua; measured in a loop inside one script, packing the common state took ~0.45 µs with struct
//   against ~1.2-2.0 µs with cmsgpack, unpacking ~0.13 against ~0.47). One decide call decides a
//   batch (the store's Batcher: the decisions asked in one tick): TIME once, the outcomes' markers,
//   one MGET of every decision's state and marker, then per decision one SET (PX on creation and on
//   TTL refreshes, KEEPTTL otherwise), plus one EXISTS of the in-flight send's marker when a lease
//   is held (an MGET when several). The window log is trimmed from its oldest end as it is read; the
//   line size is kept as a counter (nln) updated from ZADD / ZREM return values, so an empty line
//   costs nothing; the other keys' TTLs are refreshed every half TTL (xp) and whenever a script may
//   have created one of them.
// - Keys built in a script (the line, the bodies and the markers of in-flight messages,
//   `<done>:<messageId>`, all from the state key) carry the creator's `{userId}` hash tag, so they
//   are in the slot of the declared keys: Redis 7 runs such a script in Cluster (it rejects only
//   keys of another slot: "Script attempted to access keys that do not hash to the same slot",
//   src/script.c scriptVerifyClusterState). A batch's creators share one slot (the store
//   splits a batch by slot, with cluster-key-slot, the function ioredis routes by).
//
// No earlier layout is read in place: the function has never been deployed by this program (both
// stacks' previews create `rate-limiter-fn`), so no Redis holds what earlier scripts wrote. A
// layout change after a deployment needs a read-in-place path (git history: issue 24 had one for
// the MessagePack state and the `done` zset, removed when this was found).

import { KEY_SUFFIX } from "./message";

/*
 * The keys of one creator (message.ts `userKeys`: `<prefix>:{userId}:` then a suffix). A script is
 * given the state key (and decide the message's done marker) and builds the others from it: `base`
 * is the state key without its suffix (BASE). They carry the same `{userId}` hash tag, so they are in the slot of
 * the declared keys (see "Keys built in a script" above).
 *
 * state            string: struct.pack('<Bdddddddd', 0xC1, lvl, ts, seq, nb, nln, xp, #log, #leases),
 *                  then #log doubles (log), then per lease struct.pack('<dHc0', expiry, #id, id);
 *                  lvl = bucket units, ts = ms of lvl, seq = last ticket, nb = line paused until (ms), nln = size of
 *                  the line, xp = ms of the last TTL refresh, log = array of the grant times in the
 *                  window (ms, ascending), leases = map messageId -> ms when its send lease expires
 *                  (the sends in flight; negative: granted on the fast path, no body stored); absent =
 *                  a new creator (full bucket, nothing recorded)
 * line             zset: messageId -> ticket, the FIFO of waiting messages
 * body             hash: messageId -> "<ticket>:<failedAttempts>:<body>" while waiting or in flight
 * <done>:<id>      the message's done marker: a string "1" with PX = the idempotency TTL
 */

/** Server time in ms (`now`). */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * The limits and timings, written into the scripts' text rather than passed with every call: a
 * decision's arguments are then only what differs per message (the store loads one set of scripts
 * per distinct set of constants).
 */
export interface ScriptConstants {
  readonly perWindow: number;
  readonly windowMs: number;
  readonly burst: number;
  /** Every key's TTL. */
  readonly keyTtlMs: number;
  /** How long a granted send may take before it returns to the line. */
  readonly leaseMs: number;
  /**
   * While another send of the creator is in flight the line does not move (so POSTs cannot
   * overtake each other across invocations); a waiting message re-asks this much later.
   */
  readonly busyWaitMs: number;
  /** How long a done marker lives: the idempotency TTL. */
  readonly doneTtlMs: number;
}

/** Shared prologue header: the constants (N, W, cap, keyTtl, cost, lease, busyWait). */
function constants(c: ScriptConstants): string {
  for (const [name, v] of Object.entries(c)) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new Error(`rate limiter script constant ${name} must be a non-negative integer, got ${String(v)}`);
    }
  }
  return `
local N = ${c.perWindow}
local W = ${c.windowMs}
local cap = ${c.burst * c.windowMs}
local keyTtl = ${c.keyTtlMs}
local lease = ${c.leaseMs}
local busyWait = ${c.busyWaitMs}
local doneTtl = ${c.doneTtlMs}
local cost = W
`;
}

/** `base`: the state key `sk` without its suffix (see above). */
const BASE = `local base = string.sub(sk, 1, ${-(KEY_SUFFIX.state.length + 1)})`;

/** The other keys, built from `base` (see above) where a path needs them: the common path needs none. */
const LINE = `(base .. '${KEY_SUFFIX.line}')`;
const BODY = `(base .. '${KEY_SUFFIX.body}')`;
/** The done marker of the message whose id is the Lua expression `id` (see `doneMarkerKey`). */
const MARKER = (id: string): string => `(base .. '${KEY_SUFFIX.done}:' .. ${id})`;

/** How many window-log lengths get a ready-made pack format (see SET_STATE). */
const READY_FORMATS = 16;

/**
 * Writes the state string (see above) with the given SET options. Inline text, not a Lua function:
 * a function defined in the script would be a new closure (and upvalues) on every call. The header
 * and the log are one struct.pack, its format a constant picked by the log's length (a format built
 * per call, string.rep and concatenation, cost as much as the packing: measured in a loop inside
 * one script, the common state packed in ~0.5 µs this way against ~1.2 µs), then one pack per lease.
 */
const SET_STATE = (options: string, perWindow: number): string => {
  const header = "<Bdddddddd";
  const ready = Math.min(perWindow, READY_FORMATS);
  const pick = Array.from(
    { length: ready + 1 },
    (_, n) => `${n === 0 ? "if" : "elseif"} nl == ${n} then f = '${header}${"d".repeat(n)}'`,
  );
  return `
do
  local nl, nfl = #log, 0
  for _ in pairs(fl) do nfl = nfl + 1 end
  local s
  if nl <= ${ready} then
    local f
    ${pick.join("\n    ")}
    end
    s = struct.pack(f, 193, lvl, ts, seq, nb, nln, xp, nl, nfl, unpack(log))
  else
    -- A long log: one pack per entry (unpack would pass Lua's C stack limit past ~8,000 values).
    local parts = {struct.pack('${header}', 193, lvl, ts, seq, nb, nln, xp, nl, nfl)}
    for i = 1, nl do parts[i + 1] = struct.pack('<d', log[i]) end
    s = table.concat(parts)
  end
  for fid, x in pairs(fl) do s = s .. struct.pack('<dHc0', x, #fid, fid) end
  redis.call('SET', sk, s, ${options})
  written[sk] = s
end
`;
};

/**
 * Shared prologue (`now` and `raw`, the state string or false, are set before):
 * state, window trim, bucket refill, finished and expired leases.
 */
const PROLOGUE = `
local lvl, ts, seq, nb, nln, xp, log, fl
if raw then
  local nlog, nfl, pos
  lvl, ts, seq, nb, nln, xp, nlog, nfl, pos = struct.unpack('<xdddddddd', raw)
  -- The log is ascending: the entries that left the window are its first ones, dropped as read.
  log, fl = {}, {}
  local k, old = 0, now - W
  for _ = 1, nlog do
    local x
    x, pos = struct.unpack('<d', raw, pos)
    if x > old then
      k = k + 1
      log[k] = x
    end
  end
  for _ = 1, nfl do
    local x, fid
    x, fid, pos = struct.unpack('<dHc0', raw, pos)
    fl[fid] = x
  end
else
  lvl, ts, seq, nb, nln, xp, log, fl = cap, now, 0, 0, 0, 0, {}, {}
end
local refresh = false
if now > ts then
  lvl = math.min(cap, lvl + N * (now - ts))
  ts = now
end
local nin = 0
local f1 = next(fl)
if f1 then
  -- Which leases have their outcome recorded (their done marker exists)? Looked up for the whole
  -- call beforehand (\`over\`, see decideLua) when the lease was in the state the call found; else
  -- one lease (the common case): EXISTS, an integer reply; more: one MGET.
  local ids, m = {}, {}
  local seen = over[sk]
  local ask, names = {}, {}
  for fid in pairs(fl) do
    ids[#ids + 1] = fid
    local o = seen and seen[fid]
    if o == nil then
      ask[#ask + 1] = #ids
      names[#names + 1] = ${MARKER("fid")}
    else
      m[#ids] = o
    end
  end
  if #names == 1 then
    m[ask[1]] = redis.call('EXISTS', names[1]) == 1
  elseif #names > 1 then
    local marked = redis.call('MGET', unpack(names))
    for i = 1, #ask do m[ask[i]] = marked[i] and true or false end
  end
  for i = 1, #ids do
    local fid = ids[i]
    local x = fl[fid]
    if m[i] then
      -- Its outcome is recorded (sent or dead-lettered): the lease is over.
      fl[fid] = nil
      if x > 0 then redis.call('HDEL', ${BODY}, fid) end
    elseif x > 0 and x <= now then
      local v = redis.call('HGET', ${BODY}, fid)
      if v then
        nln = nln + redis.call('ZADD', ${LINE}, tonumber(string.match(v, '^(%d+):')), fid)
        refresh = true
      end
      fl[fid] = nil
    elseif x < 0 and -x <= now then
      fl[fid] = nil
    else
      nin = nin + 1
    end
  end
end
`;

/** Reads the state's log and lease counts (after the tag and six doubles, see "state" above). */
const LEASE_COUNTS = `<${"x".repeat(1 + 6 * 8)}dd`;

/** Appends a grant time, keeping the log ascending (TIME may step back). */
const APPEND_NOW = `
log[#log + 1] = now
if #log > 1 and log[#log - 1] > now then table.sort(log) end
`;

/** Writes the state; refreshes every TTL when a key may have been created or the last refresh is old. */
const EPILOGUE = (c: ScriptConstants): string => `
if refresh or now - xp > keyTtl / 2 then
  xp = now${SET_STATE("'PX', keyTtl", c.perWindow)}
  redis.call('PEXPIRE', ${LINE}, keyTtl)
  redis.call('PEXPIRE', ${BODY}, keyTtl)
else${SET_STATE("'KEEPTTL'", c.perWindow)}end
`;

/** Status of a decide reply asking for the message's body (see decideLua); never leaves the store. */
export const NEEDS_BODY = 6;

/**
 * decide: admit or place messages, each draining its creator's line; one call decides a batch (the
 * store gathers the decisions asked in the same tick: the records of an SQS batch, whose creators are
 * handled in parallel), one after another in the order given, all at the call's one server time.
 * Each decision is exactly what a call for it alone would have decided at that time.
 *
 * All keys in one slot (Redis Cluster: the store groups a batch by slot):
 * ARGV[1]    m, the number of outcomes recorded first (sent or dead-lettered, see `done` in the
 *            store): KEYS[1..m] are their done markers, each set to "1" with PX = the idempotency TTL
 * then per decision i (1-based), with k = m + 2i and a = 3i - 1:
 * KEYS[k-1]  the creator's state key, KEYS[k] the message's done marker (`<done>:<messageId>`)
 * ARGV[a]    messageId
 * ARGV[a+1]  deadlineMs: server time after which the call is stale (a retried command) and the
 *            decision does nothing; 0 = none
 * ARGV[a+2]  "<failedAttempts carried by this copy>:<body>", stored (so that any wake-up can send
 *            it) only when the message is new and waits; or "" (not sent)
 *
 * The common decision grants at once and needs no body, so the body is first left out. A decision
 * that would have to store the message then stores nothing of it, writes what its prologue changed
 * and replies {6} (NEEDS_BODY): the caller asks again with it. That decision is made afresh, exactly
 * as a single one with the body made at its time would be (the prologue's work is a function of the
 * time: refill, trim and lease expiry give the same state done once or twice), so it is never a
 * second decision for the same message, only the first one deferred.
 *
 * Reply: one reply per decision, in order, each as follows.
 * {status, waitMs, nowMs, known, id1, attempts1, body1, id2, ...} where status is
 * 1 granted (this message is among the grants), 2 wait (in line; waitMs = projected grant - now),
 * 3 done (already sent or dead-lettered), 4 busy (being sent elsewhere; waitMs = lease left),
 * 5 stale (deadline passed, nothing changed); known = 1 when the messageId was already in the line,
 * in flight or done; then one triple per grant, in line order: the caller must POST each of them.
 * The fast path (this message granted alone, nothing else known) replies nowMs alone, an integer:
 * the caller has its grant.
 */
export const decideLua = (c: ScriptConstants): string => `${NOW}${constants(c)}
local m = tonumber(ARGV[1])
for j = 1, m do redis.call('SET', KEYS[j], '1', 'PX', doneTtl) end
local n = (#KEYS - m) / 2
-- Every decision's state and done marker in one MGET: not a call per decision.
if n == 0 then return {} end
local got = redis.call('MGET', unpack(KEYS, m + 1))
-- The done markers of the sends in flight in the states found, in one MGET: over[stateKey][id] is
-- true when that send's outcome is recorded (a lease whose marker exists is over).
local over, leaseOf, leaseKeys = {}, {}, {}
for d = 1, n do
  local raw = got[2 * d - 1]
  if raw then
    local sk = KEYS[m + 2 * d - 1]
    local nlog, nfl, pos = struct.unpack('${LEASE_COUNTS}', raw)
    if nfl > 0 then
      ${BASE}
      local t = {}
      over[sk] = t
      pos = pos + 8 * nlog
      for _ = 1, nfl do
        local fid
        _, fid, pos = struct.unpack('<dHc0', raw, pos)
        leaseKeys[#leaseKeys + 1] = ${MARKER("fid")}
        leaseOf[#leaseKeys] = {t, fid}
      end
    end
  end
end
if #leaseKeys > 0 then
  local marked = redis.call('MGET', unpack(leaseKeys))
  for i = 1, #leaseKeys do
    local l = leaseOf[i]
    l[1][l[2]] = marked[i] and true or false
  end
end
-- The states this call wrote: a later decision of the same creator reads them, not \`got\`.
local written = {}
local out = {}
local newHead
-- One decision per turn; \`repeat ... until true\` lets it end early with \`break\` (Lua 5.1 has no
-- continue): inline rather than a function called per decision, which would cost a closure and its
-- upvalues on every call.
for d = 1, n do
local a = 3 * d - 1
local sk, raw, isDone, id, deadline, extra = KEYS[m + 2 * d - 1], got[2 * d - 1], got[2 * d] and true or false, ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2]
repeat
if deadline > 0 and now > deadline then
  out[d] = {5, 0, now, 0}
  break
end
if written[sk] then raw = written[sk] end
if not raw and not isDone then
  -- A new creator (or one idle for the keys' TTL: the line and bodies expired with the state): a
  -- full bucket, nothing in the window, nobody waiting or in flight: granted at once, the state
  -- written in one piece (log = {now}, one fast-path lease). All but the lease's id is the same for
  -- every new creator of the call: packed once.
  newHead = newHead or struct.pack('<Bdddddddddd', 193, cap - cost, now, 0, 0, 0, now, 1, 1, now, -(now + lease))
  local s = newHead .. struct.pack('<H', #id) .. id
  redis.call('SET', sk, s, 'PX', keyTtl)
  written[sk] = s
  out[d] = now
  break
end
${BASE}
${PROLOGUE}
local known = 0
local busy = nin > 0
local inFlight = fl[id]
if inFlight and inFlight < 0 then inFlight = -inFlight end
if isDone or inFlight or (nln > 0 and redis.call('ZSCORE', ${LINE}, id)) then
  known = 1
elseif not busy and now >= nb and lvl >= cost and nln == 0 and #log < N then
  -- Fast path: a new message, nobody waiting or sending, both limits allow: granted at once.
  ${APPEND_NOW}
  fl[id] = -(now + lease)
  lvl = lvl - cost
  ${EPILOGUE(c)}
  out[d] = now
  break
elseif extra == '' then
  -- It must wait in the line: its body is needed (see above).
  ${EPILOGUE(c)}
  out[d] = {${NEEDS_BODY}}
  break
else
  seq = seq + 1
  refresh = true
  nln = nln + redis.call('ZADD', ${LINE}, seq, id)
  redis.call('HSET', ${BODY}, id, seq .. ':' .. extra)
end
local reply = {0, 0, now, known}
local mine = false
if now >= nb and not busy then
  while lvl >= cost and #log < N do
    local head = redis.call('ZRANGE', ${LINE}, 0, 0)[1]
    if not head then break end
    nln = nln - redis.call('ZREM', ${LINE}, head)
    local v = redis.call('HGET', ${BODY}, head) or '0:0:'
    if redis.call('EXISTS', ${MARKER("head")}) == 1 then
      -- Sent after its lease had put it back in the line: done, not sent again.
      redis.call('HDEL', ${BODY}, head)
    else
      ${APPEND_NOW}
      fl[head] = now + lease
      lvl = lvl - cost
      local a, b = string.match(v, '^%d+:(%d+):(.*)$')
      reply[#reply + 1] = head
      reply[#reply + 1] = tonumber(a)
      reply[#reply + 1] = b
      if head == id then mine = true end
    end
  end
end
if mine then
  reply[1] = 1
elseif isDone then
  reply[1] = 3
elseif inFlight then
  reply[1] = 4
  reply[2] = inFlight - now
else
  -- Project the line forward from the current state: each message ahead takes the earliest
  -- time both constraints allow, in order. That time is this message's reserved place.
  reply[1] = 2
  local times = {}
  for i = 1, #log do times[i] = log[i] end
  local line = redis.call('ZRANGE', ${LINE}, 0, -1)
  local L, T0, at = lvl, ts, math.max(now, nb, ts)
  if busy then at = math.max(at, now + busyWait) end
  for i = 1, #line do
    local s = at
    if L + N * (s - T0) < cost then s = T0 + math.floor((cost - L + N - 1) / N) end
    local k = #times
    if k >= N and times[k - N + 1] + W > s then s = times[k - N + 1] + W end
    if s < at then s = at end
    L = math.min(cap, L + N * (s - T0)) - cost
    T0 = s
    at = s
    times[k + 1] = s
    if line[i] == id then break end
  end
  reply[2] = at - now
end
${EPILOGUE(c)}
out[d] = reply
until true
end
return out
`;

/**
 * finish: record that a granted send failed or was not made (the outcomes sent and dead-lettered
 * are the message's done marker, set by the next decide call: see its ARGV[1]).
 *
 * KEYS[1] the creator's state key
 * ARGV[1] messageId
 * ARGV[2] outcome: 3 failed (back to the head of the line, one more failed attempt, line paused),
 *         4 released unsent (back to the head, nothing counted)
 * ARGV[3] pauseMs: for outcome 3, the line waits this long (backoff, at least Retry-After)
 *
 * Reply: {nowMs, failedAttempts}: failed attempts after this call; -1 when the message is unknown
 * here (its own SQS copy must carry the retry).
 */
export const finishLua = (c: ScriptConstants): string => `${NOW}
local id = ARGV[1]
local outcome = tonumber(ARGV[2])${constants(c)}
local sk = KEYS[1]
${BASE}
local raw = redis.call('GET', sk)
local written, over = {}, {}
${PROLOGUE}
fl[id] = nil
local v = redis.call('HGET', ${BODY}, id)
local attempts = 0
if v then
  local q, a, b = string.match(v, '^(%d+):(%d+):(.*)$')
  attempts = tonumber(a)
  if outcome == 3 then
    attempts = attempts + 1
    redis.call('HSET', ${BODY}, id, q .. ':' .. attempts .. ':' .. b)
  end
  nln = nln + redis.call('ZADD', ${LINE}, tonumber(q), id)
else
  -- No body here (granted on the fast path, or Redis lost its data): the message's own SQS copy
  -- carries the retry.
  attempts = -1
end
if outcome == 3 then nb = math.max(nb, now + tonumber(ARGV[3])) end
refresh = true
${EPILOGUE(c)}
return {now, attempts}
`;

/**
 * merge: after a Redis outage, tell Redis about the sends an instance made (degraded mode, or
 * before a restart that lost the data), so the window and the bucket count them.
 *
 * KEYS[1] the creator's state key
 * ARGV[1..] pairs: an identifier of the send ("<ms>:<messageId>", informational), then its server time in ms
 *
 * A send Redis still knows must not count twice: per millisecond value, the window keeps as many
 * entries as the larger of what it holds and what the merge brings (two different sends in the
 * same millisecond, one known and one not, would count once: the only imprecision, and only here).
 * The bucket is replayed conservatively: empty at now - W (a full window earlier, when it was at
 * least empty), then every send in the window; the stored level becomes the lower of that and the
 * stored one, so a merge can only delay, never over-admit.
 * Reply: {nowMs, sendsInWindow}.
 */
export const mergeLua = (c: ScriptConstants): string => `${NOW}${constants(c)}
local sk = KEYS[1]
${BASE}
local raw = redis.call('GET', sk)
local written, over = {}, {}
${PROLOGUE}
local have, bring = {}, {}
for i = 1, #log do have[log[i]] = (have[log[i]] or 0) + 1 end
for i = 1, #ARGV, 2 do
  local ms = tonumber(ARGV[i + 1])
  if ms > now - W then bring[ms] = (bring[ms] or 0) + 1 end
end
for ms, n in pairs(bring) do
  for _ = (have[ms] or 0) + 1, n do log[#log + 1] = ms end
end
table.sort(log)
local L, T0 = 0, now - W
for i = 1, #log do
  local x = log[i]
  if x > T0 then
    L = math.min(cap, L + N * (x - T0))
    T0 = x
  end
  L = L - cost
end
L = math.min(cap, L + N * (now - T0))
if L < lvl then lvl = L end
refresh = true
${EPILOGUE(c)}
return {now, #log}
`;

/** The done marker of one message (`<done key>:<messageId>`, KEYS[2] of decide). */
export function doneMarkerKey(doneKey: string, messageId: string): string {
  return `${doneKey}:${messageId}`;
}

/** The benchmark's ceiling: one EVALSHA doing the least a decision must (TIME and one write). */
export const TRIVIAL_LUA = `
local t = redis.call('TIME')
redis.call('SET', KEYS[1], t[1])
return 1
`;
