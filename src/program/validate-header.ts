/**
 * Validation of what a Program declares before its body: the workgroup size, the buffers
 * (names, bindings, workgroup counts, sizing) and the params, against IR_LIMITS and the
 * device limits the caller validates for.
 */
import { IR_ACCESS_MODES, IR_LIMITS, VALUE_TYPES, widthOf, type IrAccess, type IrBuffer, type IrParam, type OutputSizing, type ValueType } from '../protocol/ir.ts';
import type { BufferInfo } from './validate-expr.ts';
import {
  at,
  describe,
  field,
  got,
  index,
  readChoice,
  readListLength,
  readName,
  readRecord,
  readString,
  type IssueLog,
  type ValidationLimits,
} from './validate-report.ts';

/** WebGPU's `maxBindingsPerBindGroup`: bindings are 0…999. */
const MAX_BINDING = 999;
/** Largest static element count (a u32). */
const MAX_STATIC_COUNT = 0xffff_ffff;
const PARAM_TYPES = ['u32', 'i32', 'f32'] as const satisfies readonly IrParam['type'][];
const SIZING_KINDS = ['dispatch', 'static', 'same-as'] as const;
const AXES = ['x', 'y', 'z'] as const;

/** Checks `[x, y, z]`: integers, each within its axis limit, and their product within the invocation limit. */
export function checkWorkgroupSize(log: IssueLog, value: unknown, limits: ValidationLimits): [number, number, number] | undefined {
  const path = 'workgroupSize';
  const length = readListLength(log, value, path, 'The workgroup size');
  if (length === undefined) return undefined;
  if (length !== 3) {
    log.report('malformed', path, `The workgroup size must list three axes [x, y, z]; it has ${length}.`);
    return undefined;
  }
  const axisLimits = [limits.maxComputeWorkgroupSizeX, limits.maxComputeWorkgroupSizeY, limits.maxComputeWorkgroupSizeZ];
  const axes: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const axis = field(value as object, String(i));
    const limit = axisLimits[i] ?? 1;
    if (typeof axis !== 'number') {
      log.report('malformed', index(path, i), `Workgroup size ${AXES[i] ?? ''} must be a number; ${got(axis)}.`);
    } else if (!Number.isInteger(axis) || axis < 1 || axis > limit) {
      log.report('bad-workgroup-size', index(path, i), `Workgroup size ${AXES[i] ?? ''} must be an integer in 1…${limit}; got ${String(axis)}.`);
    } else {
      axes.push(axis);
    }
  }
  const [x, y, z] = axes;
  if (x === undefined || y === undefined || z === undefined) return undefined;
  if (x * y * z > limits.maxComputeInvocationsPerWorkgroup) {
    log.report(
      'bad-workgroup-size',
      path,
      `The workgroup size [${x}, ${y}, ${z}] has ${x * y * z} invocations; the limit is ${limits.maxComputeInvocationsPerWorkgroup}.`,
    );
    return undefined;
  }
  return [x, y, z];
}

/** The checked buffer list, and what the body may know of each buffer. */
export interface BufferTable {
  readonly list: IrBuffer[] | undefined;
  readonly byName: ReadonlyMap<string, BufferInfo>;
  readonly complete: boolean;
}

interface ParsedBuffer {
  readonly path: string;
  readonly name: string | undefined;
  readonly access: IrAccess | undefined;
  readonly type: ValueType | undefined;
  /** Set only when valid. */
  readonly binding: number | undefined;
  /** Set only for a workgroup buffer with a valid count. */
  readonly count: number | undefined;
  /** Target of a `same-as` sizing, to check once every buffer is known. */
  readonly sameAs: string | undefined;
  readonly node: IrBuffer | undefined;
}

/** Checks the buffer list: each buffer, then names, bindings, workgroup memory and sizing across them. */
export function checkBuffers(log: IssueLog, value: unknown, limits: ValidationLimits): BufferTable {
  const path = 'buffers';
  const length = readListLength(log, value, path, 'The buffer list');
  if (length === undefined) return { list: undefined, byName: new Map(), complete: false };
  const complete = length <= IR_LIMITS.maxBuffers;
  if (!complete) log.report('too-large', path, `The program declares ${length} buffers; at most ${IR_LIMITS.maxBuffers} are allowed.`);
  const parsed: ParsedBuffer[] = [];
  for (let i = 0; i < Math.min(length, IR_LIMITS.maxBuffers); i += 1) {
    parsed.push(parseBuffer(log, field(value as object, String(i)), index(path, i)));
  }

  const byName = new Map<string, BufferInfo>();
  const first = new Map<string, ParsedBuffer>();
  const bindings = new Map<number, string>();
  let workgroupBytes = 0;
  let storageBuffers = 0;
  for (const buffer of parsed) {
    if (buffer.name !== undefined) {
      const earlier = first.get(buffer.name);
      if (earlier !== undefined) {
        log.report('duplicate-buffer', at(buffer.path, 'name'), `${earlier.path} is already named ${describe(buffer.name)}; buffer names must differ.`);
      } else {
        first.set(buffer.name, buffer);
        byName.set(buffer.name, { access: buffer.access, type: buffer.type });
      }
    }
    if (buffer.binding !== undefined && buffer.access !== 'workgroup') {
      const earlier = bindings.get(buffer.binding);
      if (earlier !== undefined) {
        log.report('duplicate-binding', at(buffer.path, 'binding'), `${earlier} already uses binding ${buffer.binding}; bindings must differ.`);
      } else {
        bindings.set(buffer.binding, buffer.path);
      }
    }
    if (buffer.access !== undefined && buffer.access !== 'workgroup') storageBuffers += 1;
    if (buffer.count !== undefined) {
      const before = workgroupBytes;
      workgroupBytes += buffer.count * 4 * widthOf(buffer.type ?? 'u32');
      if (before <= limits.maxComputeWorkgroupStorageSize && workgroupBytes > limits.maxComputeWorkgroupStorageSize) {
        log.report(
          'bad-workgroup-count',
          at(buffer.path, 'count'),
          `Workgroup buffers up to this one need ${workgroupBytes} bytes; the limit is ${limits.maxComputeWorkgroupStorageSize} (4 bytes per scalar, 8 per vec2, 16 per vec4).`,
        );
      }
    }
  }
  // Params lower to a uniform buffer, which does not count against storage buffers.
  if (storageBuffers > limits.maxStorageBuffersPerShaderStage) {
    log.report(
      'too-many-buffers',
      path,
      `The program binds ${storageBuffers} storage buffers; the limit is ${limits.maxStorageBuffersPerShaderStage} (workgroup buffers do not count).`,
    );
  }
  for (const buffer of parsed) {
    if (buffer.sameAs !== undefined && complete) checkSameAs(log, buffer, first);
  }
  const list = parsed.every((buffer) => buffer.node !== undefined) ? parsed.flatMap((buffer) => buffer.node ?? []) : undefined;
  return { list, byName, complete };
}

function parseBuffer(log: IssueLog, value: unknown, path: string): ParsedBuffer {
  const record = readRecord(log, value, path, 'A buffer');
  if (record === undefined) {
    return { path, name: undefined, access: undefined, type: undefined, binding: undefined, count: undefined, sameAs: undefined, node: undefined };
  }
  const name = readName(log, record, path, 'name', 'A buffer name');
  const binding = checkBinding(log, field(record, 'binding'), at(path, 'binding'));
  const access = readChoice(log, record, path, 'access', IR_ACCESS_MODES, 'A buffer access mode');
  const type = readChoice(log, record, path, 'type', VALUE_TYPES, 'A buffer element type');
  let bindingOk = binding !== undefined;
  if (binding !== undefined && access === 'workgroup' && binding !== -1) {
    log.report('bad-binding', at(path, 'binding'), `A workgroup buffer is never bound; its binding must be -1, not ${binding}.`);
    bindingOk = false;
  } else if (binding !== undefined && access !== undefined && access !== 'workgroup' && (!Number.isInteger(binding) || binding < 0 || binding > MAX_BINDING)) {
    log.report('bad-binding', at(path, 'binding'), `A binding must be an integer in 0…${MAX_BINDING}; got ${binding}.`);
    bindingOk = false;
  }
  const count = checkCount(log, field(record, 'count'), at(path, 'count'), access);
  const sizing = checkSizing(log, field(record, 'sizing'), at(path, 'sizing'), access);
  const node: IrBuffer | undefined =
    name !== undefined && binding !== undefined && bindingOk && access !== undefined && type !== undefined && count.ok && sizing.ok
      ? {
          name,
          binding,
          access,
          type,
          ...(count.value !== undefined ? { count: count.value } : {}),
          ...(sizing.value !== undefined ? { sizing: sizing.value } : {}),
        }
      : undefined;
  return {
    path,
    name,
    access,
    type,
    binding: bindingOk ? binding : undefined,
    count: access === 'workgroup' && count.ok ? count.value : undefined,
    sameAs: sizing.value?.kind === 'same-as' ? sizing.value.buffer : undefined,
    node,
  };
}

function checkBinding(log: IssueLog, value: unknown, path: string): number | undefined {
  if (typeof value === 'number') return value;
  log.report('malformed', path, `A binding must be a number (-1 for workgroup buffers); ${got(value)}.`);
  return undefined;
}

function checkCount(log: IssueLog, value: unknown, path: string, access: IrAccess | undefined): { ok: boolean; value: number | undefined } {
  if (access === undefined) return { ok: false, value: undefined };
  if (access !== 'workgroup') {
    if (value === undefined) return { ok: true, value: undefined };
    log.report('bad-workgroup-count', path, `Only workgroup buffers have a count; a ${access} buffer is sized at dispatch (see \`sizing\`).`);
    return { ok: false, value: undefined };
  }
  if (typeof value !== 'number' && value !== undefined) {
    log.report('malformed', path, `A workgroup count must be a number; ${got(value)}.`);
  } else if (value === undefined || !Number.isInteger(value) || value < 1 || value > IR_LIMITS.maxWorkgroupCount) {
    log.report('bad-workgroup-count', path, `A workgroup buffer needs a count, an integer in 1…${IR_LIMITS.maxWorkgroupCount}; ${got(value)}.`);
  } else {
    return { ok: true, value };
  }
  return { ok: false, value: undefined };
}

function checkSizing(log: IssueLog, value: unknown, path: string, access: IrAccess | undefined): { ok: boolean; value: OutputSizing | undefined } {
  const failed = { ok: false, value: undefined };
  if (value === undefined) return { ok: true, value: undefined };
  if (access !== undefined && access !== 'output' && access !== 'read-write') {
    log.report('bad-sizing', path, `Only output and read-write buffers take \`sizing\`; this one is ${access}.`);
    return failed;
  }
  const record = readRecord(log, value, path, 'A sizing');
  if (record === undefined) return failed;
  const kind = readChoice(log, record, path, 'kind', SIZING_KINDS, 'A sizing kind');
  switch (kind) {
    case undefined:
      return failed;
    case 'dispatch':
      return { ok: true, value: { kind } };
    case 'static': {
      const count = field(record, 'count');
      if (typeof count !== 'number') {
        log.report('malformed', at(path, 'count'), `A static count must be a number; ${got(count)}.`);
      } else if (!Number.isInteger(count) || count < 0 || count > MAX_STATIC_COUNT) {
        log.report('bad-sizing', at(path, 'count'), `A static count must be an integer in 0…${MAX_STATIC_COUNT}; got ${count}.`);
      } else {
        return { ok: true, value: { kind, count } };
      }
      return failed;
    }
    case 'same-as': {
      const buffer = readString(log, record, path, 'buffer', 'The buffer of a same-as sizing');
      return buffer === undefined ? failed : { ok: true, value: { kind, buffer } };
    }
  }
}

/** A `same-as` target must be another bound buffer, and the chain of targets must end. */
function checkSameAs(log: IssueLog, buffer: ParsedBuffer, byName: ReadonlyMap<string, ParsedBuffer>): void {
  const path = at(at(buffer.path, 'sizing'), 'buffer');
  const target = buffer.sameAs === undefined ? undefined : byName.get(buffer.sameAs);
  if (target === undefined) {
    log.report('bad-sizing', path, `The sizing names ${describe(buffer.sameAs)}, which is not a buffer of this program.`);
  } else if (target === buffer) {
    log.report('bad-sizing', path, 'A buffer cannot be sized the same as itself.');
  } else if (target.access === 'workgroup') {
    log.report('bad-sizing', path, `The sizing names the workgroup buffer ${describe(target.name)}; name a bound buffer.`);
  } else {
    const seen = new Set<ParsedBuffer>([buffer]);
    for (let next: ParsedBuffer | undefined = target; next?.sameAs !== undefined; next = byName.get(next.sameAs)) {
      if (seen.has(next)) {
        log.report('bad-sizing', path, 'The same-as sizings loop back to this buffer; one buffer of the chain must be sized otherwise.');
        return;
      }
      seen.add(next);
    }
  }
}

/** The checked param list, and each param's type by name. */
export interface ParamTable {
  readonly list: IrParam[] | undefined;
  readonly byName: ReadonlyMap<string, IrParam['type'] | undefined>;
  readonly complete: boolean;
}

/**
 * With params, the params uniform binds right after the highest storage binding
 * (`paramsLayoutOf` in src/lower/layout.ts), so that binding must stay below 999.
 */
export function checkParamsBinding(log: IssueLog, buffers: BufferTable, params: ParamTable): void {
  if (params.byName.size === 0 || buffers.list === undefined) return;
  buffers.list.forEach((buffer, i) => {
    if (buffer.access !== 'workgroup' && buffer.binding >= MAX_BINDING) {
      log.report(
        'bad-binding',
        at(index('buffers', i), 'binding'),
        `The params uniform binds right after the highest binding, so with params bindings must be at most ${MAX_BINDING - 1}; got ${buffer.binding}.`,
      );
    }
  });
}

/** Checks the param list: shape, names, types, no duplicates. */
export function checkParams(log: IssueLog, value: unknown): ParamTable {
  const path = 'params';
  const length = readListLength(log, value, path, 'The param list');
  if (length === undefined) return { list: undefined, byName: new Map(), complete: false };
  const complete = length <= IR_LIMITS.maxParams;
  if (!complete) log.report('too-large', path, `The program declares ${length} params; at most ${IR_LIMITS.maxParams} are allowed.`);
  const list: IrParam[] = [];
  const byName = new Map<string, IrParam['type'] | undefined>();
  let ok = true;
  for (let i = 0; i < Math.min(length, IR_LIMITS.maxParams); i += 1) {
    const itemPath = index(path, i);
    const record = readRecord(log, field(value as object, String(i)), itemPath, 'A param');
    if (record === undefined) {
      ok = false;
      continue;
    }
    const name = readName(log, record, itemPath, 'name', 'A param name');
    const type = readChoice(log, record, itemPath, 'type', PARAM_TYPES, 'A param type');
    if (name !== undefined && byName.has(name)) {
      log.report('duplicate-param', at(itemPath, 'name'), `Another param is already named ${describe(name)}; param names must differ.`);
    } else if (name !== undefined) {
      byName.set(name, type);
    }
    if (name === undefined || type === undefined) ok = false;
    else list.push({ name, type });
  }
  return { list: ok ? list : undefined, byName, complete };
}
