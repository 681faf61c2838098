/**
 * Job processes under Electron (utilityProcess mocked): commands wait until the process
 * has spawned, messages and the exit reach the supervisor once, kill is forwarded.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { electronMock } from './electron-mock';

vi.mock('electron', () => electronMock());

const electron = await import('electron');
const { createUtilitySpawn } = await import('../../src/main/job-process');

class FakeUtility extends EventEmitter {
  postMessage = vi.fn();
  kill = vi.fn(() => true);
}

describe('createUtilitySpawn', () => {
  it('forks the bundled host and adapts its events', () => {
    const child = new FakeUtility();
    vi.mocked(electron.utilityProcess.fork).mockReturnValue(child as unknown as Electron.UtilityProcess);
    const proc = createUtilitySpawn('/app/out/main/job-host.js')();
    expect(vi.mocked(electron.utilityProcess.fork).mock.calls[0][0]).toBe('/app/out/main/job-host.js');

    proc.send({ type: 'pause' });
    expect(child.postMessage).not.toHaveBeenCalled(); // not spawned yet
    child.emit('spawn');
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'pause' });

    const messages: unknown[] = [];
    const exits: unknown[] = [];
    proc.onMessage((m) => messages.push(m));
    proc.onExit((code, signal) => exits.push([code, signal]));
    child.emit('message', { type: 'done', result: 1 });
    child.emit('exit', 0);
    child.emit('exit', 0);
    expect(messages).toEqual([{ type: 'done', result: 1 }]);
    expect(exits).toEqual([[0, null]]);
    proc.kill();
    expect(child.kill).not.toHaveBeenCalled(); // already gone
  });
});
