import type { Command } from 'commander';
import type { DoctorReport } from '../../mongodb/doctor.js';
import { describeServer } from '../../pipeline/describe-server.js';
import { addConnectionOptions, plannedConnection } from '../connection-options.js';
import type { CommandContext } from '../context.js';
import { secretResolver } from '../run-plan.js';
import { parseCount } from '../option-groups.js';
import { table } from '../output.js';

interface DoctorOptions {
  timeout: string;
}

/** `dbfork doctor`: what a server is, holds and can do. Read-only. */
export function define(command: Command, context: () => CommandContext): void {
  addConnectionOptions(command, 'uri', 'connection string of the server to inspect', 'source')
    .option('--timeout <ms>', 'server selection timeout in ms', '10000')
    .action(async (options: DoctorOptions) => {
      const ctx = context();
      const timeout = parseCount(options.timeout, '--timeout');
      const server = plannedConnection(options, 'uri');
      const uri = (await secretResolver(ctx, server.args).resolve(server.ref)).reveal();
      const { host, report } = await describeServer(uri, timeout);
      ctx.output.result({ host, ...report });
      printReport(ctx, host, report);
    });
}

function printReport(ctx: CommandContext, host: string, report: DoctorReport): void {
  const out = ctx.output;
  const t = report.topology;
  out.line(`server       ${host}`);
  out.line(
    `version      ${report.server.version}${report.server.implementation ? ` (${report.server.implementation})` : ''}`,
  );
  const member =
    t.kind === 'replicaSet'
      ? `replica set ${t.setName ?? ''}, ${t.role ?? 'unknown role'}, priority ${t.priority ?? 'unknown'}, votes ${t.votes ?? 'unknown'}`
      : t.kind;
  out.line(`topology     ${member}`);
  const c = report.consistency;
  if (c) {
    const lag = c.replicationLagMs === null ? 'unknown' : `${(c.replicationLagMs / 1000).toFixed(1)} s`;
    out.line(
      `consistency  ${c.modes.join(', ')} (history window ${c.historyWindowS ?? '-'} s, replication lag ${lag})`,
    );
  }
  out.line('');
  out.line('databases');
  if (report.databases.length === 0) out.line('  (none)');
  for (const db of report.databases) {
    out.line(`  ${db.name}`);
    for (const c of db.collections) {
      out.line(
        `    ${c.name.padEnd(32)} ${c.documents === null ? c.type : `${c.documents} document${c.documents === 1 ? '' : 's'}`}`,
      );
    }
  }
  out.line('');
  out.line('capabilities (probed)');
  out.line(
    table(
      ['  capability', 'supported', 'evidence'],
      report.capabilities.map((c) => [
        `  ${c.name}`,
        c.supported === null ? 'unknown' : c.supported ? 'yes' : 'no',
        c.evidence,
      ]),
    ),
  );
}
