//! The IR's text form, written: one canonical spelling per region, which `parse.ts`
//! reads back exactly (see the grammar there).

import type { Block, BlockCall, Inst, Region } from './function.js';
import type { OpInfo, Piece } from './opcodes.js';
import { OPCODES } from './opcodes.js';
import type { Type } from './types.js';
import { typeBits } from './types.js';

const INDENT = '    ';

export function valueName(v: number | undefined): string {
  return v === undefined ? 'v?' : `v${v}`;
}

export function blockName(b: number | undefined): string {
  return b === undefined ? 'block?' : `block${b}`;
}

/** A guest address: `0x` and lowercase hex, no padding. */
export function formatAddress(pc: number): string {
  return pc < 0 ? `-0x${(-pc).toString(16)}` : `0x${pc.toString(16)}`;
}

/** An integer immediate: decimal up to 0xffff in magnitude, else signed hex. */
export function formatInt(v: bigint): string {
  const mag = v < 0n ? -v : v;
  if (mag <= 0xffffn) return v.toString();
  return `${v < 0n ? '-' : ''}0x${mag.toString(16)}`;
}

/** Raw float bits: `0x` and all 8 (f32) or 16 (f64) hex digits. */
export function formatBits(bits: bigint, type: Type | undefined): string {
  const digits = type === undefined ? 1 : typeBits(type) / 4;
  return `0x${bits.toString(16).padStart(digits, '0')}`;
}

export function formatBlockCall(call: BlockCall | undefined): string {
  if (call === undefined) return 'block?';
  const args = call.args.length > 0 ? `(${call.args.map(valueName).join(', ')})` : '';
  return blockName(call.block) + args;
}

/** One instruction, without indentation or newline. Tolerates malformed instructions
 * (missing fields print as `?`), so that verifier messages can show them. */
export function printInst(inst: Inst): string {
  const info = OPCODES[inst.op] as OpInfo | undefined;
  if (info === undefined) return `<unknown opcode '${String(inst.op)}'>`;
  let text = inst.result !== undefined ? `${valueName(inst.result)}:${inst.type ?? '?'} = ` : '';
  text += inst.op;
  if (info.result === 'ctrl') text += `.${inst.type ?? '?'}`;
  const pieces: string[] = [];
  const targets = inst.targets ?? [];
  const cases = inst.cases ?? [];
  let nextArg = 0;
  let nextTarget = 0;
  for (const piece of info.syntax) {
    switch (piece) {
      case 'arg': pieces.push(valueName(inst.args[nextArg++])); break;
      case 'imm': pieces.push(inst.imm === undefined ? '?' : formatInt(inst.imm)); break;
      case 'bits': pieces.push(inst.imm === undefined ? '?' : formatBits(inst.imm, inst.type)); break;
      case 'xreg': pieces.push(`x${inst.reg ?? '?'}`); break;
      case 'freg': pieces.push(`f${inst.reg ?? '?'}`); break;
      case 'csr': pieces.push(inst.csr ?? '?'); break;
      case 'size': pieces.push(`size ${inst.size ?? '?'}`); break;
      case 'ext': pieces.push(inst.signed === undefined ? '?' : inst.signed ? 'signed' : 'unsigned'); break;
      case 'access': pieces.push(inst.access ?? '?'); break;
      case 'offset': pieces.push(`offset ${inst.offset === undefined ? '?' : formatInt(BigInt(inst.offset))}`); break;
      case 'icc': case 'fcc': pieces.push(inst.cond ?? '?'); break;
      case 'from': pieces.push(`from ${inst.from ?? '?'}`); break;
      case 'trap': pieces.push(inst.trap ?? '?'); break;
      case 'slot': pieces.push(`slot ${inst.slot ?? '?'}`); break;
      case 'target': pieces.push(inst.target === undefined ? '?' : formatAddress(inst.target)); break;
      case 'callee': pieces.push(`@${inst.helper ?? '?'}(${inst.args.map(valueName).join(', ')})`); break;
      case 'block': pieces.push(formatBlockCall(targets[nextTarget++])); break;
      case 'cases':
        pieces.push(`[${cases.map((k, i) => `${formatInt(k)}: ${formatBlockCall(targets[i])}`).join(', ')}]`);
        nextTarget = cases.length;
        break;
      case 'default': pieces.push(`default ${formatBlockCall(targets[nextTarget++])}`); break;
      case 'fop': pieces.push(inst.fop ?? '?'); break;
      case 'rm': pieces.push(inst.rm ?? '?'); break;
      case 'args': pieces.push(inst.args.map(valueName).join(', ')); break;
    }
  }
  pieces.forEach((piece, i) => {
    text += i === 0 ? ' ' : separatorAfter(info.syntax[i - 1]);
    text += piece;
  });
  if (inst.pc !== undefined) text += ` @${formatAddress(inst.pc)}`;
  return text;
}

/** Pieces are separated by commas, except that a condition code is followed by a space
 * (`icmp slt v1, v2`). */
export function separatorAfter(piece: Piece): string {
  return piece === 'icc' || piece === 'fcc' ? ' ' : ', ';
}

export function printBlockHeader(block: Block): string {
  const params = block.params.map((p) => `${valueName(p.value)}:${p.type}`).join(', ');
  return `${blockName(block.id)}${params ? `(${params})` : ''}:`;
}

export function printRegion(region: Region): string {
  const lines = [`region @${formatAddress(region.entry)} {`];
  for (const block of region.blocks) {
    lines.push(printBlockHeader(block));
    for (const inst of block.insts) lines.push(INDENT + printInst(inst));
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Several regions, separated by one blank line. */
export function printRegions(regions: readonly Region[]): string {
  return regions.map(printRegion).join('\n');
}
