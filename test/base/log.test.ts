/**
 * The daemon's log: JSON lines with ISO times and string levels for collectors, readable text for
 * people (on a terminal by default), as a library and as `pacific serve` writes it to a pipe.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../daemon/base/log.js';
import { CLI, initRepoFrom } from '../support/daemon-process.js';
import { namespaceYaml } from '../support/fixtures.js';
import { tempDir } from '../support/temp.js';

function written(format: 'json' | 'text', write: (log: ReturnType<typeof createLogger>) => void): string[] {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const log = createLogger({ format, level: 'info', destination: out });
  write(log);
  log.flush();
  return chunks.join('').split('\n').filter(Boolean);
}

describe('the log', () => {
  it('writes JSON lines with an ISO time, a string level and the object field by field', () => {
    const [line, ...rest] = written('json', (log) => {
      log.info({ object: 'VirtualMachine/team-a/web-1', kind: 'VirtualMachine', namespace: 'team-a', name: 'web-1' }, 'VirtualMachine/team-a/web-1 created');
      log.debug('not at info');
    });
    expect(rest).toEqual([]);
    const entry = JSON.parse(line!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', service: 'pacific', kind: 'VirtualMachine', namespace: 'team-a', name: 'web-1', msg: 'VirtualMachine/team-a/web-1 created' });
    expect(entry['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('writes text for people: time, level, message, then the fields on the same line', () => {
    const lines = written('text', (log) => log.warn({ reason: 'WaitingForCapacity' }, 'no host fits web-1'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] WARN: no host fits web-1 \{"reason":"WaitingForCapacity"\}$/);
    // An object once, as people read it: not its name as if it were the logger's.
    const [object] = written('text', (log) => log.info({ object: 'VirtualMachine/team-a/web-1', kind: 'VirtualMachine', namespace: 'team-a', name: 'web-1' }, 'VirtualMachine/team-a/web-1 created'));
    expect(object).toMatch(/\] INFO: VirtualMachine\/team-a\/web-1 created \{"object":"VirtualMachine\/team-a\/web-1"\}$/);
  });

  it('is JSON from pacific serve on a pipe, text with --log-format text, and quieter with --log-level', () => {
    const tmp = tempDir('pacific-log-');
    try {
      const bare = initRepoFrom(tmp.dir, { 'ns.yaml': namespaceYaml('team-l') });
      const serve = (state: string, ...flags: string[]) =>
        spawnSync(process.execPath, [CLI, 'serve', '--repo', bare, '--state', join(tmp.dir, state), '--listen', '127.0.0.1:0', '--api-listen', 'off', ...flags], { encoding: 'utf8', timeout: 4000, env: { ...process.env, PACIFIC_LOG_LEVEL: '', PACIFIC_LOG_FORMAT: '' } }).stdout.split('\n').filter(Boolean);
      const json = serve('a');
      expect(json.length).toBeGreaterThan(1);
      for (const line of json) expect(JSON.parse(line)).toMatchObject({ level: expect.stringMatching(/^(info|warn|error)$/) as unknown, time: expect.stringMatching(/Z$/) as unknown });
      expect(json.some((l) => l.includes('"msg":"pacific is serving"'))).toBe(true);
      const text = serve('b', '--log-format', 'text');
      expect(text.some((l) => /^\[[\d-]+ [\d:.]+\] INFO: pacific is serving \{/.test(l))).toBe(true);
      expect(serve('c', '--log-level', 'warn').filter((l) => l.includes('"level":"info"'))).toEqual([]);
      const bad = spawnSync(process.execPath, [CLI, 'serve', '--repo', bare, '--log-format', 'xml'], { encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain("Allowed choices are json, text");
    } finally {
      tmp.cleanup();
    }
  });
});
