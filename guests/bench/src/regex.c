/* regex: string processing and regular-expression matching. A regex compiler (literals,
 * ., [classes], \d \w \s, * + ?, |, groups, ^ $) to a Thompson-NFA program run by a
 * Pike VM over generated log-like text, line by line; plus tokenising and case folding,
 * Boyer-Moore-Horspool substring search and a global search-and-replace.
 * SIZE is the number of text lines. Modelled on SPEC's text workloads
 * (perlbench's regex engine, xalancbmk's string handling). */
#include "bench.h"

/* ---- regex compiler ----------------------------------------------------------------- */

enum { N_CHAR, N_ANY, N_CLASS, N_CAT, N_ALT, N_STAR, N_PLUS, N_QUEST, N_BOL, N_EOL, N_EMPTY };
enum { I_CHAR, I_ANY, I_CLASS, I_SPLIT, I_JMP, I_BOL, I_EOL, I_MATCH };

typedef struct { int type, c, a, b; } node_t;
typedef struct { uint8_t op; uint8_t c; uint16_t cls; int x, y; } inst_t;

#define MAXNODES 512
#define MAXINST 1024
#define MAXCLASS 64

typedef struct {
  node_t node[MAXNODES];
  int nnode;
  uint8_t cls[MAXCLASS][32];
  int ncls;
  inst_t prog[MAXINST];
  int nprog;
  const char *src;
  int pos;
} regex_t;

static int mknode(regex_t *re, int type, int c, int a, int b) {
  if (re->nnode >= MAXNODES) fail("regex", "pattern too large");
  re->node[re->nnode] = (node_t){type, c, a, b};
  return re->nnode++;
}

static void cls_set(uint8_t *bits, int c) { bits[c >> 3] |= (uint8_t)(1u << (c & 7)); }

static void cls_escape(uint8_t *bits, int e) {
  for (int c = 0; c < 256; c++) {
    int in = (e == 'd' && c >= '0' && c <= '9') ||
             (e == 'w' && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) ||
             (e == 's' && (c == ' ' || c == '\t'));
    if (in) cls_set(bits, c);
  }
}

static int parse_alt(regex_t *re);

static int parse_atom(regex_t *re) {
  const uint8_t *s = (const uint8_t *)re->src;
  int c = s[re->pos];
  if (c == '(') {
    re->pos++;
    int n = parse_alt(re);
    if (s[re->pos] != ')') fail("regex", "missing )");
    re->pos++;
    return n;
  }
  if (c == '.') { re->pos++; return mknode(re, N_ANY, 0, -1, -1); }
  if (c == '^') { re->pos++; return mknode(re, N_BOL, 0, -1, -1); }
  if (c == '$') { re->pos++; return mknode(re, N_EOL, 0, -1, -1); }
  if (c == '[' || c == '\\') {
    if (re->ncls >= MAXCLASS) fail("regex", "too many classes");
    uint8_t *bits = re->cls[re->ncls];
    memset(bits, 0, 32);
    if (c == '\\') {
      int e = s[re->pos + 1];
      re->pos += 2;
      if (e != 'd' && e != 'w' && e != 's') return mknode(re, N_CHAR, e, -1, -1);
      cls_escape(bits, e);
    } else {
      re->pos++;
      int neg = s[re->pos] == '^';
      if (neg) re->pos++;
      int first = 1;
      while (s[re->pos] && (s[re->pos] != ']' || first)) {
        int lo = s[re->pos++];
        if (lo == '\\') { cls_escape(bits, s[re->pos++]); first = 0; continue; }
        int hi = lo;
        if (s[re->pos] == '-' && s[re->pos + 1] && s[re->pos + 1] != ']') { hi = s[re->pos + 1]; re->pos += 2; }
        for (int k = lo; k <= hi; k++) cls_set(bits, k);
        first = 0;
      }
      if (s[re->pos] != ']') fail("regex", "missing ]");
      re->pos++;
      if (neg) for (int k = 0; k < 32; k++) bits[k] = (uint8_t)~bits[k];
    }
    return mknode(re, N_CLASS, re->ncls++, -1, -1);
  }
  re->pos++;
  return mknode(re, N_CHAR, c, -1, -1);
}

static int parse_repeat(regex_t *re) {
  int n = parse_atom(re);
  for (;;) {
    int c = re->src[re->pos];
    if (c == '*') n = mknode(re, N_STAR, 0, n, -1);
    else if (c == '+') n = mknode(re, N_PLUS, 0, n, -1);
    else if (c == '?') n = mknode(re, N_QUEST, 0, n, -1);
    else return n;
    re->pos++;
  }
}

static int parse_cat(regex_t *re) {
  int n = -1;
  while (re->src[re->pos] && re->src[re->pos] != '|' && re->src[re->pos] != ')') {
    int m = parse_repeat(re);
    n = n < 0 ? m : mknode(re, N_CAT, 0, n, m);
  }
  return n < 0 ? mknode(re, N_EMPTY, 0, -1, -1) : n;
}

static int parse_alt(regex_t *re) {
  int n = parse_cat(re);
  while (re->src[re->pos] == '|') {
    re->pos++;
    n = mknode(re, N_ALT, 0, n, parse_cat(re));
  }
  return n;
}

static int emit(regex_t *re, int op, int c, int x, int y) {
  if (re->nprog >= MAXINST) fail("regex", "program too large");
  re->prog[re->nprog] = (inst_t){(uint8_t)op, (uint8_t)c, 0, x, y};
  return re->nprog++;
}

static void gen(regex_t *re, int n) {
  node_t *nd = &re->node[n];
  int l1, l2;
  switch (nd->type) {
  case N_CHAR: emit(re, I_CHAR, nd->c, 0, 0); break;
  case N_ANY: emit(re, I_ANY, 0, 0, 0); break;
  case N_CLASS: re->prog[emit(re, I_CLASS, 0, 0, 0)].cls = (uint16_t)nd->c; break;
  case N_BOL: emit(re, I_BOL, 0, 0, 0); break;
  case N_EOL: emit(re, I_EOL, 0, 0, 0); break;
  case N_EMPTY: break;
  case N_CAT: gen(re, nd->a); gen(re, nd->b); break;
  case N_ALT:
    l1 = emit(re, I_SPLIT, 0, 0, 0);
    re->prog[l1].x = re->nprog;
    gen(re, nd->a);
    l2 = emit(re, I_JMP, 0, 0, 0);
    re->prog[l1].y = re->nprog;
    gen(re, nd->b);
    re->prog[l2].x = re->nprog;
    break;
  case N_STAR:
    l1 = emit(re, I_SPLIT, 0, 0, 0);
    re->prog[l1].x = re->nprog;
    gen(re, nd->a);
    emit(re, I_JMP, 0, l1, 0);
    re->prog[l1].y = re->nprog;
    break;
  case N_PLUS:
    l1 = re->nprog;
    gen(re, nd->a);
    emit(re, I_SPLIT, 0, l1, re->nprog + 1);
    break;
  case N_QUEST:
    l1 = emit(re, I_SPLIT, 0, 0, 0);
    re->prog[l1].x = re->nprog;
    gen(re, nd->a);
    re->prog[l1].y = re->nprog;
    break;
  }
}

static void regex_compile(regex_t *re, const char *pattern) {
  re->nnode = re->ncls = re->nprog = 0;
  re->src = pattern;
  re->pos = 0;
  int root = parse_alt(re);
  if (pattern[re->pos]) fail("regex", "unbalanced )");
  gen(re, root);
  emit(re, I_MATCH, 0, 0, 0);
}

/* ---- Pike VM --------------------------------------------------------------------------- */

typedef struct { int n; int pc[MAXINST]; } tlist_t;
static uint32_t mark[MAXINST], generation;

static void addthread(const regex_t *re, tlist_t *l, int pc, size_t pos, size_t len) {
  if (mark[pc] == generation) return;
  mark[pc] = generation;
  const inst_t *in = &re->prog[pc];
  switch (in->op) {
  case I_JMP: addthread(re, l, in->x, pos, len); break;
  case I_SPLIT: addthread(re, l, in->x, pos, len); addthread(re, l, in->y, pos, len); break;
  case I_BOL: if (pos == 0) addthread(re, l, pc + 1, pos, len); break;
  case I_EOL: if (pos == len) addthread(re, l, pc + 1, pos, len); break;
  default: l->pc[l->n++] = pc;
  }
}

/* Returns 1 + the end offset of the earliest-ending match in s[0..len), or 0. */
static size_t regex_search(const regex_t *re, const uint8_t *s, size_t len) {
  static tlist_t a, b;
  tlist_t *cl = &a, *nl = &b;
  cl->n = 0;
  generation++;
  addthread(re, cl, 0, 0, len);
  for (size_t pos = 0;; pos++) {
    for (int i = 0; i < cl->n; i++)
      if (re->prog[cl->pc[i]].op == I_MATCH) return pos + 1;
    if (pos == len) return 0;
    int ch = s[pos];
    nl->n = 0;
    generation++;
    for (int i = 0; i < cl->n; i++) {
      const inst_t *in = &re->prog[cl->pc[i]];
      int ok = 0;
      switch (in->op) {
      case I_CHAR: ok = in->c == ch; break;
      case I_ANY: ok = 1; break;
      case I_CLASS: ok = (re->cls[in->cls][ch >> 3] >> (ch & 7)) & 1; break;
      }
      if (ok) addthread(re, nl, cl->pc[i] + 1, pos + 1, len);
    }
    addthread(re, nl, 0, pos + 1, len); /* unanchored: a new attempt at every offset */
    tlist_t *t = cl; cl = nl; nl = t;
  }
}

/* ---- text and string helpers --------------------------------------------------------- */

static size_t gen_text(uint8_t *buf, size_t lines, rng_t *r, size_t *line_off) {
  static const char *words[] = {"the", "a", "an", "error", "warning", "request", "reply", "user",
                                "server", "foo", "bar", "baz", "ab", "abb", "ba", "timeout",
                                "value", "index", "xyz", "queue", "retry", "cache", "miss", "hit"};
  static const char *caps[] = {"Alice", "Bob", "Carol", "Dave", "Erin", "Mallory", "Trent", "Zoe"};
  static const char *tld[] = {"com", "org", "net", "io"};
  size_t n = 0;
  for (size_t ln = 0; ln < lines; ln++) {
    line_off[ln] = n;
    int toks = 4 + (int)rng_below(r, 12);
    for (int t = 0; t < toks; t++) {
      uint32_t k = rng_below(r, 100);
      if (t) buf[n++] = ' ';
      /* Draw every random number in a fixed order: the order in which a call's
       * arguments are evaluated differs between compilers and targets. */
      uint32_t r1 = rng_below(r, 1000), r2 = rng_below(r, 100), r3 = rng_below(r, 24);
      if (k < 60) n += (size_t)sprintf((char *)buf + n, "%s", words[r3]);
      else if (k < 70) n += (size_t)sprintf((char *)buf + n, "%s", caps[r3 % 8]);
      else if (k < 78) n += (size_t)sprintf((char *)buf + n, "%u.%u", r1, r2);
      else if (k < 84)
        n += (size_t)sprintf((char *)buf + n, "%04u-%02u-%02u", 1990 + r1 % 40, 1 + r2 % 12, 1 + r3 % 24);
      else if (k < 90)
        n += (size_t)sprintf((char *)buf + n, "%s%u@%s.%s", words[r3], r2, words[r1 % 24], tld[r1 % 4]);
      else {
        int len = 2 + (int)rng_below(r, 8);
        for (int i = 0; i < len; i++) buf[n++] = (uint8_t)('a' + rng_below(r, 26));
      }
    }
    buf[n++] = '\n';
  }
  line_off[lines] = n;
  return n;
}

static size_t bmh_count(const uint8_t *hay, size_t n, const char *needle) {
  size_t m = strlen(needle), skip[256], count = 0;
  const uint8_t *nd = (const uint8_t *)needle;
  for (int i = 0; i < 256; i++) skip[i] = m;
  for (size_t i = 0; i + 1 < m; i++) skip[nd[i]] = m - 1 - i;
  size_t i = 0;
  while (i + m <= n) {
    size_t j = m - 1;
    while (hay[i + j] == nd[j]) {
      if (j == 0) { count++; break; }
      j--;
    }
    i += skip[hay[i + m - 1]];
  }
  return count;
}

static size_t replace_all(const uint8_t *in, size_t n, const char *from, const char *to, uint8_t *out) {
  size_t fl = strlen(from), tl = strlen(to), o = 0, i = 0;
  while (i < n) {
    if (i + fl <= n && in[i] == (uint8_t)from[0] && memcmp(in + i, from, fl) == 0) {
      memcpy(out + o, to, tl);
      o += tl;
      i += fl;
    } else {
      out[o++] = in[i++];
    }
  }
  return o;
}

int main(int argc, char **argv) {
  size_t lines = (size_t)bench_size(argc, argv, 250000);
  rng_t r = {1977};
  uint8_t *text = xmalloc(lines * 400 + 64);
  size_t *off = xmalloc(sizeof(size_t) * (lines + 1));
  size_t n = gen_text(text, lines, &r, off);

  static const char *patterns[] = {
      "[a-z]+[0-9]*@[a-z]+\\.(com|org|net)",
      "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]",
      "^(the|a|an) ",
      "(foo|bar)+ baz",
      "[A-Z][a-z]+ [A-Z][a-z]+",
      "x.*y.*z$",
      "\\d+\\.\\d\\d? (error|warning)",
      "(a|b)*abb ",
      "q[^u]",
      "(re(quest|ply|try) )+cache (hit|miss)",
  };
  const int np = (int)(sizeof patterns / sizeof patterns[0]);
  static regex_t re;
  uint64_t h = 0, total = 0;
  for (int p = 0; p < np; p++) {
    regex_compile(&re, patterns[p]);
    uint64_t matches = 0, endsum = 0;
    for (size_t ln = 0; ln < lines; ln++) {
      size_t len = off[ln + 1] - off[ln] - 1; /* without the newline */
      size_t m = regex_search(&re, text + off[ln], len);
      if (m) { matches++; endsum += m; }
    }
    total += matches;
    h = mix64(h, matches * 1000003u + endsum);
    printf("regex: /%s/ matches %llu lines\n", patterns[p], (unsigned long long)matches);
  }

  /* Tokenise and case-fold, counting words and their letters. */
  uint64_t words = 0, letters = 0, fold = 0;
  for (size_t i = 0; i < n;) {
    while (i < n && (text[i] == ' ' || text[i] == '\n')) i++;
    size_t s = i;
    while (i < n && text[i] != ' ' && text[i] != '\n') {
      uint8_t c = text[i];
      if (c >= 'A' && c <= 'Z') c = (uint8_t)(c + 32);
      if (c >= 'a' && c <= 'z') letters++;
      fold = fold * 131 + c;
      i++;
    }
    if (i > s) words++;
  }
  h = mix64(h, words);
  h = mix64(h, letters ^ fold);
  size_t c1 = bmh_count(text, n, "request reply"), c2 = bmh_count(text, n, "Mallory"),
         c3 = bmh_count(text, n, "abb abb");
  uint8_t *out = xmalloc(n * 2 + 64);
  size_t outn = replace_all(text, n, "error", "E_R_R_O_R", out);
  h = mix64(h, c1 * 1000000 + c2 * 1000 + c3);
  h = hash_bytes(h, out, outn);
  printf("regex: %zu lines, %zu bytes, %llu words; %llu pattern matches; substrings %zu %zu %zu\n",
         lines, n, (unsigned long long)words, (unsigned long long)total, c1, c2, c3);
  print_checksum("regex", h);
  return 0;
}
