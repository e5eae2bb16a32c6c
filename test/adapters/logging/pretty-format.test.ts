import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/logging/create-logger.js';
import { prettyLine } from '../../../src/adapters/logging/pretty-line.js';
import { MemoryDestination } from './memory-destination.js';

describe('log.format: pretty', () => {
  it('writes one readable line per event: time, level, component, message, fields', () => {
    const destination = new MemoryDestination();
    const log = createLogger({ level: 'info', format: 'pretty', destination });
    log
      .child({ component: 'sync' })
      .warn(
        { trigger: 'schedule', result: 'failed', detail: { cause: 'timeout' } },
        'sync did not finish',
      );
    expect(destination.text).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} WARN {2}sync: sync did not finish trigger=schedule result=failed detail=\{"cause":"timeout"\}\n$/,
    );
  });

  it('still redacts what the JSON format redacts', () => {
    const destination = new MemoryDestination();
    createLogger({ level: 'info', format: 'pretty', destination }).info(
      { licenseKey: 'AAAA-BBBB-CCCC-DDDD' },
      'licence seen',
    );
    expect(destination.text).not.toContain('BBBB-CCCC');
  });

  it('quotes a value with spaces and leaves out pid and hostname', () => {
    const line = prettyLine(
      JSON.stringify({
        level: 'info',
        time: 0,
        pid: 1,
        hostname: 'h',
        msg: 'm',
        reason: 'two words',
      }),
    );
    expect(line).toBe('00:00:00.000 INFO  m reason="two words"\n');
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(prettyLine('plain text')).toBe('plain text\n');
  });
});

describe('the log level of a running agent', () => {
  it('changes for the root and for every child already made from it', () => {
    const destination = new MemoryDestination();
    const log = createLogger({ level: 'info', destination });
    const sync = log.child({ component: 'sync' });
    sync.debug({}, 'hidden');
    log.setLevel('debug');
    sync.debug({}, 'shown after the reload');
    log.debug({}, 'root too');
    expect(destination.lines.map((line) => line['msg'])).toEqual([
      'shown after the reload',
      'root too',
    ]);
  });
});
