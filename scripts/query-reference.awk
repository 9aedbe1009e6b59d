# Reference counts for the query language's tests (src/analysis/query/spike.test.ts), read from
# Go's own reading of a trace rather than from our decoder:
#
#   go tool trace -d=parsed FILE | awk -f scripts/query-reference.awk -v wokenby=G -v wakes=G -v g=G
#
# (Go 1.27's `go tool trace`; -d=parsed prints every event as Go's reader, internal/trace, sees it.)
#
# Definitions, the same as the query language's (README "Search"):
# - a run is a goroutine's stay in one state: it begins at a transition into the state from another
#   one and ends at the goroutine's next such transition, or at the trace's last event. Same-state
#   transitions (Go's GoStatus at a generation start, printed "Waiting->Waiting") continue the run.
# - a wait's stack is the TransitionStack of the transition that began it (or, when that had none,
#   of the first status re-statement that has one), as StateIndex.ownStack in traceIndex.ts.
# - a region is a RegionBegin with its RegionEnd on the same goroutine, or a lone end (begun
#   before the trace); regions nest per goroutine.
# - wokenby:W counts Waiting->Runnable transitions made by goroutine W (the event's G=);
#   wakes:N counts the distinct runs of the goroutines that made N runnable so (a waker's run
#   identified by its goroutine and the time of its last state change).
#
# Prints `key count` lines, sorted.

function field(name,    re, s) {
  re = " " name "=\"[^\"]*\""
  if (match($0, re)) {
    s = substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
    return s
  }
  return ""
}

function num(name,    re) {
  re = " " name "=-?[0-9]+"
  if (match($0, re)) return substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 2) + 0
  return ""
}

function endRun(id, t,    d) {
  if (!(id in state)) return
  if (state[id] == "Waiting") {
    d = t - since[id]
    out["waits"]++
    out["waits reason=" wreason[id]]++
    if (d > 5000000) out["waits>5ms reason=" wreason[id]]++
    if (wstack[id] ~ /\|main\.lookup\|/) out["waits fn=main.lookup"]++
    if (inLookup[id] && wreason[id] == "sync") out["waits reason=sync in region=lookup"]++
    if (inLookup[id] && wreason[id] == "sync" && d > 5000000)
      out["waits>5ms reason=sync in region=lookup"]++
  }
}

# Stack lines of the last event: "\tfunc @ 0x..." (function) and "\t\tfile:line".
/^\t[^\t]/ {
  if (collecting) {
    f = $0
    sub(/^\t/, "", f)
    sub(/ @ 0x[0-9a-f]+$/, "", f)
    stackText = stackText f "|"
  }
  next
}
/^TransitionStack=/ { collecting = 1; stackText = "|"; next }
/^Stack=/ { collecting = 0; next }
/^$/ {
  if (collecting && stackOwner != "") {
    if (wstack[stackOwner] == "") wstack[stackOwner] = stackText
    stackOwner = ""
  }
  collecting = 0
  next
}

/^M=/ {
  collecting = 0
  stackOwner = ""
  t = num("Time")
  if (t > last) last = t
  cur = num("G")
}

/ StateTransition / && / GoID=/ {
  id = num("GoID")
  split($7, ft, "->")
  from = ft[1]
  to = ft[2]
  if (from == to) {
    # A status re-statement: the run goes on; a wait without a stack takes this one's.
    if (to == "Waiting" && wstack[id] == "") stackOwner = id
    next
  }
  endRun(id, t)
  if (to == "Waiting" || to == "Running" || to == "Runnable" || to == "Syscall") {
    state[id] = to
    since[id] = t
    if (id == g) out["runs g=" g]++
    if (to == "Waiting") {
      wreason[id] = field("Reason")
      wstack[id] = ""
      stackOwner = id
      inLookup[id] = openLookup[id] > 0
    }
  } else {
    delete state[id]
  }
  if (to == "Runnable" && from == "Waiting" && cur >= 0 && cur != id) {
    if (cur == wokenby) out["wokenby:" wokenby]++
    if (id == wakes) {
      key = cur " " lastChange[cur]
      if (!(key in wakers)) {
        wakers[key] = 1
        out["wakes:" wakes]++
      }
    }
  }
  lastChange[id] = t
  next
}

/ RegionBegin / {
  name = field("Type")
  n = ++depth[cur]
  open[cur, n] = name
  out["regions=" name]++
  if (name == "lookup") openLookup[cur]++
  next
}

/ RegionEnd / {
  name = field("Type")
  if (depth[cur] > 0 && open[cur, depth[cur]] == name) {
    depth[cur]--
    if (name == "lookup") openLookup[cur]--
  } else {
    out["regions=" name]++
  }
  next
}

/ TaskBegin / { out["tasks=" field("Type")]++; next }
/ Log / { out["logs category=" field("Category")]++; out["logs"]++; next }

END {
  for (id in state) endRun(id, last)
  for (k in out) print k "\t" out[k] | "sort"
}
