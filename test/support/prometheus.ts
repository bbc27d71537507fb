// The alert rules in deploy/prometheus/alerts.yml, read as Prometheus reads them, and the samples
// of a Prometheus text exposition: so a test checks an alert's own selector against real metrics.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../src/dev/temporal-cli';

/** The metric and label matchers of the one selector in an alert's expression. */
export function alertSelector(alert: string): { metric: string; labels: Record<string, string> } {
  const file = parse(fs.readFileSync(path.join(projectRoot, 'deploy', 'prometheus', 'alerts.yml'), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  const rule = file.groups.flatMap((g) => g.rules).find((r) => r.alert === alert);
  const [, metric, matchers] = rule?.expr.match(/([a-z_:]+)\{([^}]*)\}/) ?? [];
  if (!metric) throw new Error(`no alert ${alert} with a metric{label="value"} selector in alerts.yml`);
  return { metric, labels: Object.fromEntries([...matchers!.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v])) };
}

/** The samples of one metric in a Prometheus text exposition, with their labels. */
export function samples(exposition: string, metric: string): { labels: Record<string, string>; value: number }[] {
  return [...exposition.matchAll(new RegExp(`^${metric}\\{(.*)\\} (\\S+)$`, 'gm'))].map(([, labels, value]) => ({
    labels: Object.fromEntries([...labels!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v])),
    value: Number(value),
  }));
}

