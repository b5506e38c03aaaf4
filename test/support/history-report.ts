/** The history checker's report (history-checker.ts) and its short human summary. */

export type DuplicateCause = 'producer' | 'nack' | 'crash' | 'expiry';

export interface CheckReport {
  readonly valid: boolean;
  readonly counts: {
    readonly enqueueOk: number;
    readonly enqueueFail: number;
    readonly enqueueInfo: number;
    readonly leased: number;
    readonly acked: number;
  };
  readonly lost: readonly string[];
  readonly unexpected: readonly string[];
  readonly phantom: readonly string[];
  readonly recovered: readonly string[];
  readonly duplicates: {
    readonly values: number;
    readonly fraction: number;
    readonly byCause: Readonly<Record<DuplicateCause, number>>;
  };
  readonly redeliveredAfterAck: readonly string[];
  readonly doubleAck: readonly string[];
  readonly leaseOverlap: readonly string[];
}

/** A short human summary; lists at most a few values per check. */
export function formatReport(report: CheckReport): string {
  const sample = (values: readonly string[]): string =>
    values.length === 0 ? '0' : `${values.length} (${values.slice(0, 5).join(', ')}${values.length > 5 ? ', …' : ''})`;
  const { byCause } = report.duplicates;
  return [
    `valid: ${report.valid}`,
    `enqueue ok ${report.counts.enqueueOk}, fail ${report.counts.enqueueFail}, info ${report.counts.enqueueInfo}; leased ${report.counts.leased}; acked ${report.counts.acked}`,
    `lost ${sample(report.lost)}; unexpected ${sample(report.unexpected)}; phantom ${sample(report.phantom)}; recovered ${report.recovered.length}`,
    `duplicates ${report.duplicates.values} (${(report.duplicates.fraction * 100).toFixed(2)} %): producer ${byCause.producer}, nack ${byCause.nack}, crash ${byCause.crash}, expiry ${byCause.expiry}`,
    `redelivered-after-ack ${sample(report.redeliveredAfterAck)}; double-ack ${sample(report.doubleAck)}; lease overlap ${sample(report.leaseOverlap)}`,
  ].join('\n');
}
