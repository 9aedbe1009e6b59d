// The demand multiset of the why charge (why.ts): weighted left endpoints ("c blocked goroutines
// are held up from time l on"), all sharing one right end that the caller keeps. The charge
// walks a waker's timeline left to right and, at each of its intervals [p, q], needs
//
//   - the weight of the endpoints at or before p (they cover the whole interval), folded into one;
//   - the endpoints inside (p, q), moved as one piece to the waker's own wait when it waited there;
//   - Σ c·(q - l) over the endpoints inside, for the time they cover.
//
// A treap (randomized balanced search tree) keyed by l with subtree sums of c and c·l does each
// of these in O(log n): split at p, split at q, read the sums of the middle part; the middle part
// moves as a whole subtree, so an endpoint that travels down a handoff chain of a hundred waits
// costs a split per wait, not a copy per wait (which is what makes a naive charge quadratic).
// Nodes live in typed arrays (struct of arrays) owned by one charge computation; trees are node
// indexes, -1 is the empty tree. Nodes are never freed: a charge creates one per blocked interval
// plus one per piece of demand it forwards to a wait (that piece's earlier endpoints, folded).
//
// A tree never holds two nodes with one key: `union` folds equal keys into one node (only the
// sums matter). Forwarded pieces often share a key (every goroutine held up behind a wait of W
// arrives at that wait's start), and a treap of equal keys is a chain as deep as it is long:
// 20,000 goroutines woken by one that had waited overflowed the stack of the recursive union.

const NIL = -1;

export class DemandTreap {
  key = new Float64Array(256);
  weight = new Float64Array(256);
  sumC = new Float64Array(256);
  sumCL = new Float64Array(256);
  left = new Int32Array(256);
  right = new Int32Array(256);
  prio = new Uint32Array(256);
  length = 0;
  private seed = 0x9e3779b9;
  /** Results of `split`: the part below the key and the rest. */
  lo = NIL;
  hi = NIL;

  /** A one-node tree: weight `c` from time `l`. */
  node(l: number, c: number): number {
    if (this.length === this.key.length) this.grow();
    const n = this.length++;
    this.key[n] = l;
    this.weight[n] = c;
    this.sumC[n] = c;
    this.sumCL[n] = c * l;
    this.left[n] = NIL;
    this.right[n] = NIL;
    // xorshift32: deterministic priorities, so a charge is reproducible run to run.
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    this.prio[n] = this.seed;
    return n;
  }

  private grow(): void {
    const cap = this.key.length * 2;
    const f64 = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.key = f64(this.key);
    this.weight = f64(this.weight);
    this.sumC = f64(this.sumC);
    this.sumCL = f64(this.sumCL);
    this.left = i32(this.left);
    this.right = i32(this.right);
    const p = new Uint32Array(cap);
    p.set(this.prio);
    this.prio = p;
  }

  private pull(n: number): void {
    const l = this.left[n] as number;
    const r = this.right[n] as number;
    const c = this.weight[n] as number;
    let sc = c;
    let scl = c * (this.key[n] as number);
    if (l !== NIL) {
      sc += this.sumC[l] as number;
      scl += this.sumCL[l] as number;
    }
    if (r !== NIL) {
      sc += this.sumC[r] as number;
      scl += this.sumCL[r] as number;
    }
    this.sumC[n] = sc;
    this.sumCL[n] = scl;
  }

  /** Total weight of tree t. */
  totalC(t: number): number {
    return t === NIL ? 0 : (this.sumC[t] as number);
  }

  /** Σ c·l over tree t. */
  totalCL(t: number): number {
    return t === NIL ? 0 : (this.sumCL[t] as number);
  }

  /** Smallest key of tree t (Infinity when empty). */
  minKey(t: number): number {
    if (t === NIL) return Infinity;
    let n = t;
    while ((this.left[n] as number) !== NIL) n = this.left[n] as number;
    return this.key[n] as number;
  }

  /** Total weight of the keys <= x in tree t. */
  weightUpTo(t: number, x: number): number {
    let s = 0;
    let n = t;
    while (n !== NIL) {
      if ((this.key[n] as number) <= x) {
        const l = this.left[n] as number;
        s += (this.weight[n] as number) + (l === NIL ? 0 : (this.sumC[l] as number));
        n = this.right[n] as number;
      } else {
        n = this.left[n] as number;
      }
    }
    return s;
  }

  /**
   * Splits tree t into keys < x (or <= x when `inclusive`) and the rest, left in `lo` and `hi`.
   * Iterative: the two result spines are built top-down through their open slots.
   */
  split(t: number, x: number, inclusive: boolean): void {
    // Open slot of each result: a node whose right (lo side) or left (hi side) child is pending.
    let loRoot = NIL;
    let hiRoot = NIL;
    let loTail = NIL;
    let hiTail = NIL;
    const path: number[] = [];
    let n = t;
    while (n !== NIL) {
      path.push(n);
      const k = this.key[n] as number;
      if (k < x || (inclusive && k === x)) {
        if (loTail === NIL) loRoot = n;
        else this.right[loTail] = n;
        loTail = n;
        n = this.right[n] as number;
      } else {
        if (hiTail === NIL) hiRoot = n;
        else this.left[hiTail] = n;
        hiTail = n;
        n = this.left[n] as number;
      }
    }
    if (loTail !== NIL) this.right[loTail] = NIL;
    if (hiTail !== NIL) this.left[hiTail] = NIL;
    // Sums bottom-up along the path (every changed node is on it).
    for (let i = path.length - 1; i >= 0; i--) this.pull(path[i] as number);
    this.lo = loRoot;
    this.hi = hiRoot;
  }

  /**
   * The union of two trees (any keys; an endpoint in both comes out as one node with both
   * weights). Recursion depth is the trees' height: O(log n) expected for a treap of distinct
   * keys, whatever the order of insertion.
   */
  union(a: number, b: number): number {
    if (a === NIL) return b;
    if (b === NIL) return a;
    if ((this.prio[a] as number) < (this.prio[b] as number)) {
      const s = a;
      a = b;
      b = s;
    }
    // a has the higher priority and stays the root: b splits around its key, and b's nodes with
    // that key (at most one) fold into a.
    const k = this.key[a] as number;
    this.split(b, k, false);
    const bl = this.lo;
    this.split(this.hi, k, true);
    const eq = this.lo;
    const br = this.hi;
    if (eq !== NIL) this.weight[a] = (this.weight[a] as number) + (this.sumC[eq] as number);
    const al = this.left[a] as number;
    const ar = this.right[a] as number;
    this.left[a] = this.union(al, bl);
    this.right[a] = this.union(ar, br);
    this.pull(a);
    return a;
  }

  /** Inserts one endpoint into tree t (added to the node with its key, if there is one). */
  insert(t: number, l: number, c: number): number {
    return this.union(t, this.node(l, c));
  }
}
