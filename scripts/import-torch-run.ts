/**
 * Turns the output of scripts/torch-train.py into a studio run folder (node/runs/external.ts).
 *
 *   npx tsx scripts/import-torch-run.ts --source <run it started from> --files <its --out folder> \
 *       --name <its --name> --run-dir <new run folder> --command "<the torch-train command>" [--command ...]
 *
 * The commands are recorded in the run's config.json (trainedWith), so a starter model
 * packaged from the run names them in its README.
 */
import { parseArgs } from 'node:util';
import { importExternalRun } from '../src/node/runs/external';

const { values } = parseArgs({
  options: {
    source: { type: 'string' }, files: { type: 'string' }, name: { type: 'string' }, 'run-dir': { type: 'string' }, command: { type: 'string', multiple: true },
  },
});
if (!values.source || !values.files || !values.name || !values['run-dir'] || !values.command?.length) {
  console.error('usage: import-torch-run --source DIR --files DIR --name NAME --run-dir DIR --command "..." [--command "..."]');
  process.exit(2);
}
importExternalRun({ sourceDir: values.source, filesDir: values.files, name: values.name, runDir: values['run-dir'], commands: values.command }).then(
  (r) => console.log(`${r.runDir}: step ${r.step}, ${r.points} metric points`),
  (e: Error) => {
    console.error(`import-torch-run: ${e.message}`);
    process.exit(1);
  },
);
