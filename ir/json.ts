//! The IR as JSON, for tools: the same objects as `function.ts`, with every bigint
//! (iconst values, fconst bits, switch keys) written as a decimal string.

import type { Block, BlockCall, Inst, Param, Region } from './function.js';
import { isOpcode } from './opcodes.js';
import { isType } from './types.js';

export interface InstJSON extends Omit<Inst, 'imm' | 'cases'> {
  imm?: string;
  cases?: string[];
}

export interface RegionJSON {
  entry: number;
  blocks: { id: number; params: Param[]; insts: InstJSON[] }[];
}

export function toJSON(region: Region): RegionJSON {
  return {
    entry: region.entry,
    blocks: region.blocks.map((b) => ({
      id: b.id,
      params: b.params.map((p) => ({ ...p })),
      insts: b.insts.map(instToJSON),
    })),
  };
}

function instToJSON(inst: Inst): InstJSON {
  const { imm, cases, targets, args, ...rest } = inst;
  const out: InstJSON = { ...rest, args: [...args] };
  if (imm !== undefined) out.imm = imm.toString();
  if (targets !== undefined) out.targets = targets.map((t) => ({ block: t.block, args: [...t.args] }));
  if (cases !== undefined) out.cases = cases.map(String);
  return out;
}

export class JsonFormatError extends Error {}

/** A region from parsed JSON, checking the shape of every field (not the IR's
 * invariants: run the verifier for those). Errors name the path, e.g. `blocks[1].insts[0].op`. */
export function fromJSON(json: unknown): Region {
  const r = object(json, '');
  only(r, ['entry', 'blocks'], '');
  return { entry: integer(r.entry, 'entry'), blocks: array(r.blocks, 'blocks').map((b, i) => blockFromJSON(b, `blocks[${i}]`)) };
}

function blockFromJSON(json: unknown, at: string): Block {
  const b = object(json, at);
  only(b, ['id', 'params', 'insts'], at);
  return {
    id: integer(b.id, `${at}.id`),
    params: array(b.params, `${at}.params`).map((p, i) => paramFromJSON(p, `${at}.params[${i}]`)),
    insts: array(b.insts, `${at}.insts`).map((x, i) => instFromJSON(x, `${at}.insts[${i}]`)),
  };
}

function paramFromJSON(json: unknown, at: string): Param {
  const p = object(json, at);
  only(p, ['value', 'type'], at);
  return { value: integer(p.value, `${at}.value`), type: type(p.type, `${at}.type`) };
}

const NUMBER_FIELDS = ['result', 'reg', 'size', 'offset', 'from', 'target', 'slot', 'pc'] as const;
const STRING_FIELDS = ['csr', 'access', 'cond', 'trap', 'helper', 'fop', 'rm'] as const;

function instFromJSON(json: unknown, at: string): Inst {
  const j = object(json, at);
  only(j, ['op', 'type', 'args', 'imm', 'signed', 'targets', 'cases', ...NUMBER_FIELDS, ...STRING_FIELDS], at);
  if (typeof j.op !== 'string' || !isOpcode(j.op)) throw new JsonFormatError(`${at}.op: unknown opcode ${JSON.stringify(j.op)}`);
  const inst: Inst = { op: j.op, args: array(j.args, `${at}.args`).map((v, i) => integer(v, `${at}.args[${i}]`)) };
  const out = inst as unknown as Record<string, unknown>;
  if (j.type !== undefined) inst.type = type(j.type, `${at}.type`);
  for (const f of NUMBER_FIELDS) if (j[f] !== undefined) out[f] = integer(j[f], `${at}.${f}`);
  for (const f of STRING_FIELDS) if (j[f] !== undefined) out[f] = string(j[f], `${at}.${f}`);
  if (j.signed !== undefined) {
    if (typeof j.signed !== 'boolean') throw new JsonFormatError(`${at}.signed: expected a boolean`);
    inst.signed = j.signed;
  }
  if (j.imm !== undefined) inst.imm = big(j.imm, `${at}.imm`);
  if (j.targets !== undefined) inst.targets = array(j.targets, `${at}.targets`).map((t, i) => blockCall(t, `${at}.targets[${i}]`));
  if (j.cases !== undefined) inst.cases = array(j.cases, `${at}.cases`).map((k, i) => big(k, `${at}.cases[${i}]`));
  return inst;
}

function blockCall(json: unknown, at: string): BlockCall {
  const t = object(json, at);
  only(t, ['block', 'args'], at);
  return { block: integer(t.block, `${at}.block`), args: array(t.args, `${at}.args`).map((v, i) => integer(v, `${at}.args[${i}]`)) };
}

function object(json: unknown, at: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new JsonFormatError(`${at || 'region'}: expected an object`);
  return json as Record<string, unknown>;
}

function only(o: Record<string, unknown>, keys: readonly string[], at: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new JsonFormatError(`${at ? `${at}.` : ''}${k}: unknown field`);
}

function array(json: unknown, at: string): unknown[] {
  if (!Array.isArray(json)) throw new JsonFormatError(`${at}: expected an array`);
  return json;
}

function integer(json: unknown, at: string): number {
  if (typeof json !== 'number' || !Number.isSafeInteger(json)) throw new JsonFormatError(`${at}: expected an integer`);
  return json;
}

function string(json: unknown, at: string): string {
  if (typeof json !== 'string') throw new JsonFormatError(`${at}: expected a string`);
  return json;
}

function type(json: unknown, at: string) {
  if (typeof json !== 'string' || !isType(json)) throw new JsonFormatError(`${at}: expected a type (i32, i64, f32, f64)`);
  return json;
}

function big(json: unknown, at: string): bigint {
  if (typeof json !== 'string' || !/^-?[0-9]+$/.test(json)) throw new JsonFormatError(`${at}: expected a decimal string`);
  return BigInt(json);
}
