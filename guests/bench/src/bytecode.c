/* bytecode: a stack-machine interpreter (switch dispatch, call frames, a data memory)
 * running four guest programs assembled at start-up: recursive Fibonacci, a prime sieve,
 * Collatz step counting and a bubble sort. SIZE is the number of rounds.
 * Modelled on SPEC's interpreter workloads (perlbench, the Python/Lua-style VMs). */
#include "bench.h"

enum {
  OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_LOCAL, OP_STORE, OP_ENTER, OP_CALL, OP_RET,
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR,
  OP_LT, OP_GT, OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_LOADM, OP_STOREM, OP_INC
};

#define CODE_MAX 4096
#define STACK_MAX 65536
#define FRAMES_MAX 4096
#define MEM_WORDS 65536

/* ---- a tiny assembler with forward labels ------------------------------------------ */

static int64_t code[CODE_MAX];
static int ncode;
static int label_at[64];
static int fix_pc[256], fix_label[256], nfix;

static void emit(int64_t op) { code[ncode++] = op; }
static void emit1(int64_t op, int64_t arg) { emit(op); emit(arg); }
static void label(int l) { label_at[l] = ncode; }
static void jump(int64_t op, int l) {
  emit(op);
  fix_pc[nfix] = ncode;
  fix_label[nfix++] = l;
  emit(0);
}
static void resolve(void) {
  for (int i = 0; i < nfix; i++) code[fix_pc[i]] = label_at[fix_label[i]];
  nfix = 0;
}

/* Label numbers are global; each function uses its own range. */
static int fn_fib, fn_sieve, fn_collatz, fn_bsort;

static void asm_fib(void) { /* fib(n) */
  fn_fib = ncode;
  emit1(OP_LOCAL, 0); emit1(OP_PUSH, 2); emit(OP_LT); jump(OP_JZ, 1);
  emit1(OP_LOCAL, 0); emit(OP_RET);
  label(1);
  emit1(OP_LOCAL, 0); emit1(OP_PUSH, 1); emit(OP_SUB); emit1(OP_CALL, fn_fib); emit(1);
  emit1(OP_LOCAL, 0); emit1(OP_PUSH, 2); emit(OP_SUB); emit1(OP_CALL, fn_fib); emit(1);
  emit(OP_ADD); emit(OP_RET);
  resolve();
}

static void asm_sieve(void) { /* sieve(m): number of primes <= m; locals m,i,j,count */
  fn_sieve = ncode;
  emit1(OP_ENTER, 3);
  emit1(OP_PUSH, 0); emit1(OP_STORE, 1);
  label(10);
  emit1(OP_LOCAL, 1); emit1(OP_LOCAL, 0); emit(OP_GT); jump(OP_JNZ, 11);
  emit1(OP_LOCAL, 1); emit1(OP_PUSH, 1); emit(OP_STOREM);
  emit1(OP_INC, 1); jump(OP_JMP, 10);
  label(11);
  emit1(OP_PUSH, 2); emit1(OP_STORE, 1); emit1(OP_PUSH, 0); emit1(OP_STORE, 3);
  label(12);
  emit1(OP_LOCAL, 1); emit1(OP_LOCAL, 0); emit(OP_GT); jump(OP_JNZ, 15);
  emit1(OP_LOCAL, 1); emit(OP_LOADM); jump(OP_JZ, 14);
  emit1(OP_INC, 3);
  emit1(OP_LOCAL, 1); emit1(OP_LOCAL, 1); emit(OP_MUL); emit1(OP_STORE, 2);
  label(13);
  emit1(OP_LOCAL, 2); emit1(OP_LOCAL, 0); emit(OP_GT); jump(OP_JNZ, 14);
  emit1(OP_LOCAL, 2); emit1(OP_PUSH, 0); emit(OP_STOREM);
  emit1(OP_LOCAL, 2); emit1(OP_LOCAL, 1); emit(OP_ADD); emit1(OP_STORE, 2); jump(OP_JMP, 13);
  label(14);
  emit1(OP_INC, 1); jump(OP_JMP, 12);
  label(15);
  emit1(OP_LOCAL, 3); emit(OP_RET);
  resolve();
}

static void asm_collatz(void) { /* collatz(k): total steps for 1..k; locals k,n,x,total */
  fn_collatz = ncode;
  emit1(OP_ENTER, 3);
  emit1(OP_PUSH, 1); emit1(OP_STORE, 1); emit1(OP_PUSH, 0); emit1(OP_STORE, 3);
  label(20);
  emit1(OP_LOCAL, 1); emit1(OP_LOCAL, 0); emit(OP_GT); jump(OP_JNZ, 24);
  emit1(OP_LOCAL, 1); emit1(OP_STORE, 2);
  label(21);
  emit1(OP_LOCAL, 2); emit1(OP_PUSH, 1); emit(OP_EQ); jump(OP_JNZ, 23);
  emit1(OP_INC, 3);
  emit1(OP_LOCAL, 2); emit1(OP_PUSH, 1); emit(OP_AND); jump(OP_JZ, 22);
  emit1(OP_LOCAL, 2); emit1(OP_PUSH, 3); emit(OP_MUL); emit1(OP_PUSH, 1); emit(OP_ADD);
  emit1(OP_STORE, 2); jump(OP_JMP, 21);
  label(22);
  emit1(OP_LOCAL, 2); emit1(OP_PUSH, 1); emit(OP_SHR); emit1(OP_STORE, 2); jump(OP_JMP, 21);
  label(23);
  emit1(OP_INC, 1); jump(OP_JMP, 20);
  label(24);
  emit1(OP_LOCAL, 3); emit(OP_RET);
  resolve();
}

static void asm_bsort(void) { /* bsort(n, seed): locals n,x(seed),i,j,t */
  fn_bsort = ncode;
  emit1(OP_ENTER, 3);
  emit1(OP_PUSH, 0); emit1(OP_STORE, 2);
  label(30); /* fill with an LCG */
  emit1(OP_LOCAL, 2); emit1(OP_LOCAL, 0); emit(OP_LT); jump(OP_JZ, 31);
  emit1(OP_LOCAL, 1); emit1(OP_PUSH, 1103515245); emit(OP_MUL); emit1(OP_PUSH, 12345);
  emit(OP_ADD); emit1(OP_PUSH, 0x7fffffff); emit(OP_AND); emit1(OP_STORE, 1);
  emit1(OP_LOCAL, 2); emit1(OP_LOCAL, 1); emit1(OP_PUSH, 1000); emit(OP_MOD); emit(OP_STOREM);
  emit1(OP_INC, 2); jump(OP_JMP, 30);
  label(31);
  emit1(OP_LOCAL, 0); emit1(OP_PUSH, 1); emit(OP_SUB); emit1(OP_STORE, 2);
  label(32); /* outer: i = n-1 .. 1 */
  emit1(OP_LOCAL, 2); emit1(OP_PUSH, 0); emit(OP_GT); jump(OP_JZ, 36);
  emit1(OP_PUSH, 0); emit1(OP_STORE, 3);
  label(33); /* inner: j = 0 .. i-1 */
  emit1(OP_LOCAL, 3); emit1(OP_LOCAL, 2); emit(OP_LT); jump(OP_JZ, 35);
  emit1(OP_LOCAL, 3); emit(OP_LOADM); emit1(OP_LOCAL, 3); emit1(OP_PUSH, 1); emit(OP_ADD);
  emit(OP_LOADM); emit(OP_GT); jump(OP_JZ, 34);
  emit1(OP_LOCAL, 3); emit(OP_LOADM); emit1(OP_STORE, 4);
  emit1(OP_LOCAL, 3); emit1(OP_LOCAL, 3); emit1(OP_PUSH, 1); emit(OP_ADD); emit(OP_LOADM);
  emit(OP_STOREM);
  emit1(OP_LOCAL, 3); emit1(OP_PUSH, 1); emit(OP_ADD); emit1(OP_LOCAL, 4); emit(OP_STOREM);
  label(34);
  emit1(OP_INC, 3); jump(OP_JMP, 33);
  label(35);
  emit1(OP_LOCAL, 2); emit1(OP_PUSH, 1); emit(OP_SUB); emit1(OP_STORE, 2); jump(OP_JMP, 32);
  label(36); /* checksum t = t*31 + mem[i] */
  emit1(OP_PUSH, 0); emit1(OP_STORE, 4); emit1(OP_PUSH, 0); emit1(OP_STORE, 2);
  label(37);
  emit1(OP_LOCAL, 2); emit1(OP_LOCAL, 0); emit(OP_LT); jump(OP_JZ, 38);
  emit1(OP_LOCAL, 4); emit1(OP_PUSH, 31); emit(OP_MUL); emit1(OP_LOCAL, 2); emit(OP_LOADM);
  emit(OP_ADD); emit1(OP_STORE, 4);
  emit1(OP_INC, 2); jump(OP_JMP, 37);
  label(38);
  emit1(OP_LOCAL, 4); emit(OP_RET);
  resolve();
}

/* ---- the virtual machine ------------------------------------------------------------ */

static int64_t stack[STACK_MAX];
static int64_t mem[MEM_WORDS];
typedef struct { int ret, fp; } frame_t;
static frame_t frames[FRAMES_MAX];
static uint64_t steps;

#define U(x) ((uint64_t)(x))

static int64_t vm_call(int entry, const int64_t *args, int nargs) {
  /* A HALT at pc 0 is the return address of the outermost call. */
  int sp = 0, fp = 0, nf = 0, pc = entry;
  for (int i = 0; i < nargs; i++) stack[sp++] = args[i];
  frames[nf++] = (frame_t){0, 0};
  uint64_t n = 0;
  for (;;) {
    n++;
    int64_t op = code[pc++];
    switch (op) {
    case OP_HALT: steps += n; return stack[sp - 1];
    case OP_PUSH: stack[sp++] = code[pc++]; break;
    case OP_POP: sp--; break;
    case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case OP_LOCAL: stack[sp++] = stack[fp + code[pc++]]; break;
    case OP_STORE: stack[fp + code[pc++]] = stack[--sp]; break;
    case OP_INC: stack[fp + code[pc]] = (int64_t)(U(stack[fp + code[pc]]) + 1); pc++; break;
    case OP_ENTER: {
      int64_t k = code[pc++];
      for (int64_t i = 0; i < k; i++) stack[sp++] = 0;
      break;
    }
    case OP_CALL: {
      int target = (int)code[pc++], na = (int)code[pc++];
      if (nf >= FRAMES_MAX || sp + 64 >= STACK_MAX) fail("bytecode", "stack overflow");
      frames[nf++] = (frame_t){pc, fp};
      fp = sp - na;
      pc = target;
      break;
    }
    case OP_RET: {
      int64_t v = stack[sp - 1];
      frame_t f = frames[--nf];
      sp = fp;
      fp = f.fp;
      pc = f.ret;
      stack[sp++] = v;
      break;
    }
    case OP_ADD: sp--; stack[sp - 1] = (int64_t)(U(stack[sp - 1]) + U(stack[sp])); break;
    case OP_SUB: sp--; stack[sp - 1] = (int64_t)(U(stack[sp - 1]) - U(stack[sp])); break;
    case OP_MUL: sp--; stack[sp - 1] = (int64_t)(U(stack[sp - 1]) * U(stack[sp])); break;
    case OP_DIV: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] : 0; break;
    case OP_MOD: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
    case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
    case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
    case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
    case OP_SHL: sp--; stack[sp - 1] = (int64_t)(U(stack[sp - 1]) << (stack[sp] & 63)); break;
    case OP_SHR: sp--; stack[sp - 1] = (int64_t)(U(stack[sp - 1]) >> (stack[sp] & 63)); break;
    case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
    case OP_GT: sp--; stack[sp - 1] = stack[sp - 1] > stack[sp]; break;
    case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
    case OP_JMP: pc = (int)code[pc]; break;
    case OP_JZ: pc = stack[--sp] == 0 ? (int)code[pc] : pc + 1; break;
    case OP_JNZ: pc = stack[--sp] != 0 ? (int)code[pc] : pc + 1; break;
    case OP_LOADM: stack[sp - 1] = mem[U(stack[sp - 1]) % MEM_WORDS]; break;
    case OP_STOREM: sp -= 2; mem[U(stack[sp]) % MEM_WORDS] = stack[sp + 1]; break;
    default: fail("bytecode", "bad opcode");
    }
  }
}

int main(int argc, char **argv) {
  long rounds = bench_size(argc, argv, 1500);
  emit(OP_HALT);
  asm_fib();
  asm_sieve();
  asm_collatz();
  asm_bsort();

  uint64_t h = 0;
  int64_t last[4] = {0};
  for (long r = 0; r < rounds; r++) {
    int64_t a1[1] = {12 + r % 4};
    int64_t a2[1] = {4000 + (r * 37) % 1000};
    int64_t a3[1] = {600 + (r * 13) % 100};
    int64_t a4[2] = {60 + r % 20, r};
    last[0] = vm_call(fn_fib, a1, 1);
    last[1] = vm_call(fn_sieve, a2, 1);
    last[2] = vm_call(fn_collatz, a3, 1);
    last[3] = vm_call(fn_bsort, a4, 2);
    for (int k = 0; k < 4; k++) h = mix64(h, (uint64_t)last[k]);
  }
  printf("bytecode: %ld rounds, %llu VM instructions; last fib %lld, primes %lld, collatz %lld\n",
         rounds, (unsigned long long)steps, (long long)last[0], (long long)last[1], (long long)last[2]);
  print_checksum("bytecode", mix64(h, steps));
  return 0;
}
