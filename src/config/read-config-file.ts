import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from './config-error.js';

/** The config file's YAML as a mapping, or a ConfigError naming the file and what is wrong. */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('config_unreadable', [
      { key: '(file)', message: `cannot read ${path}: ${reason}`, source: null },
    ]);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    const where =
      error instanceof YAMLParseError ? ` at line ${String(error.linePos?.[0].line)}` : '';
    throw new ConfigError('config_syntax', [
      { key: '(file)', message: `${path} is not valid YAML${where}`, source: null },
    ]);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('config_syntax', [
      { key: '(file)', message: `${path} must hold a mapping of keys`, source: null },
    ]);
  }
  return value as Record<string, unknown>;
}
