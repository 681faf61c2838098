/**
 * The sampling flags every sampling command shares: values validated like the studio's,
 * settings left out taken from the model's recommendation, the stderr line naming them,
 * the guidance interval, and the warning for guidance on a model trained without class dropout.
 */
import { describe, expect, it } from 'vitest';
import { describeRecommended, guidanceWarning, readSamplingOptions } from '../../src/cli/sampling-options';

const flags = (over: Record<string, unknown> = {}) => ({ backend: 'wasm', seed: 3, workspace: '/tmp/ws', ...over });

describe('readSamplingOptions', () => {
  it('reads every setting, guidance included, with the defaults for the rest', () => {
    const args = readSamplingOptions(flags({ 'top-p': 0.6, guidance: 2.5 }));
    expect(args.sampling).toEqual({ temperature: 1, topK: 0, topP: 0.6, guidance: 2.5 });
    expect([args.seed, args.backend, args.recommended]).toEqual([3, 'wasm', []]);
  });

  it("fills settings not given from the model's recommendation and names them", () => {
    const args = readSamplingOptions(flags({ temperature: 0.8 }), { temperature: 1, topK: 0, topP: 0.6, guidance: 2 });
    expect(args.sampling).toEqual({ temperature: 0.8, topK: 0, topP: 0.6, guidance: 2 });
    expect(args.recommended).toEqual(['topK', 'topP', 'guidance']);
    expect(describeRecommended(args)).toBe("sampling with the model's recommended --top-k 0 --top-p 0.6 --guidance 2 (give the flag to change it)\n");
  });

  it('reads the guidance interval from --guidance-planes or the recommendation, and names it when recommended', () => {
    expect(readSamplingOptions(flags({ guidance: 2, 'guidance-planes': 3 })).sampling).toEqual({ temperature: 1, topK: 0, topP: 1, guidance: 2, guidancePlanes: 3 });
    const recommended = readSamplingOptions(flags(), { temperature: 1, topK: 0, topP: 0.8, guidance: 2, guidancePlanes: 3 });
    expect(recommended.sampling.guidancePlanes).toBe(3);
    expect(describeRecommended(recommended)).toContain('--guidance 2 --guidance-planes 3 (give');
    expect(readSamplingOptions(flags({ 'guidance-planes': 0 }), { temperature: 1, topK: 0, topP: 0.8, guidance: 2, guidancePlanes: 3 }).sampling.guidancePlanes).toBe(0);
    // without guidance an interval is neither kept nor announced
    const off = readSamplingOptions(flags({ guidance: 1 }), { temperature: 1, topK: 0, topP: 0.8, guidance: 2, guidancePlanes: 3 });
    expect(off.sampling).toEqual({ temperature: 1, topK: 0, topP: 0.8, guidance: 1 });
    expect(off.sampling).not.toHaveProperty('guidancePlanes');
    expect(off.recommended).toEqual(['temperature', 'topK', 'topP']);
    expect(readSamplingOptions(flags({ 'guidance-planes': 2 })).sampling).not.toHaveProperty('guidancePlanes');
    expect(() => readSamplingOptions(flags({ 'guidance-planes': -1 }))).toThrow(/guidancePlanes/);
    expect(() => readSamplingOptions(flags({ 'guidance-planes': 1.5 }))).toThrow(/guidancePlanes/);
  });

  it('refuses out-of-range values and unknown backends as BAD_REQUEST', () => {
    expect(() => readSamplingOptions(flags({ guidance: -1 }))).toThrow(/guidance/);
    expect(() => readSamplingOptions(flags({ guidance: 11 }))).toThrow(/guidance/);
    expect(() => readSamplingOptions(flags({ 'top-p': 0 }))).toThrow(/topP/);
    expect(() => readSamplingOptions(flags({ backend: 'tpu' }))).toThrow(/unknown backend "tpu"/);
  });
});

describe('guidanceWarning', () => {
  it('warns only when guidance is on and the model had no class dropout', () => {
    expect(guidanceWarning(1, undefined)).toBe('');
    expect(guidanceWarning(2, 0.1)).toBe('');
    expect(guidanceWarning(2, 0)).toMatch(/without class dropout/);
    expect(guidanceWarning(0, undefined)).toMatch(/--guidance 0/);
  });
});
