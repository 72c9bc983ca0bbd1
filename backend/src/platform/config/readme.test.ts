import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_VARIABLES } from './config';

describe('the README configuration table', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);

  it('documents exactly the variables the config schema reads', () => {
    expect([...documented].sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
  });
});
