// Rule allowed-hosts: a task pulls only from the team's source hosts and pushes only to its push
// domains. A pattern is a host name or `*.example.com` (any subdomain, not example.com itself), so
// an allow list names exactly what it means. An empty list leaves that side unrestricted.
import type { PolicyConfigSchema } from "@pulumi/policy";
import { parseUrl } from "../provider/task/urls";
import {
  DESTINATION_HOST_FIELDS, DESTINATION_URL_FIELDS, SOURCE_URL_FIELDS, Task, Violation, stringsOf, violation,
} from "./inputs";

export interface HostsConfig {
  sourceHosts: string[];
  destinationDomains: string[];
}

export const HOSTS_DEFAULTS: HostsConfig = { sourceHosts: [], destinationDomains: [] };

export const hostsSchema: PolicyConfigSchema = {
  properties: {
    sourceHosts: {
      type: "array", items: { type: "string" }, default: [],
      description: "Hosts sources may be pulled from (sourceUrls, backupSourceUrl, backupVodUrl); `*.x.com` " +
        "allows subdomains. Empty: any host.",
    },
    destinationDomains: {
      type: "array", items: { type: "string" }, default: [],
      description: "Push domains a task may push to (domainName, the hosts of toUrl and backupToUrl). Empty: any.",
    },
  },
};

export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((p) => {
    const q = p.toLowerCase().replace(/\.$/, "");
    return q.startsWith("*.") ? h.endsWith(q.slice(1)) && h.length > q.length - 1 : h === q;
  });
}

export function checkHosts(name: string, task: Task, config: HostsConfig): Violation[] {
  const out: Violation[] = [];
  const judge = (path: string, host: string, allowed: string[], key: keyof HostsConfig, what: string): void => {
    if (allowed.length === 0 || hostAllowed(host, allowed)) return;
    out.push(violation(name, path, `${what} ${host}, which is not in allowed-hosts.${key} (${allowed.join(", ")})`,
      `use an allowed host, or add ${host} to ${key} in the policy config`));
  };
  for (const field of SOURCE_URL_FIELDS) {
    for (const [path, text] of stringsOf(task, field)) {
      // A URL the provider cannot parse is check's to refuse, not this rule's.
      const url = parseUrl(text);
      if (url) judge(path, url.host, config.sourceHosts, "sourceHosts", "pulls from");
    }
  }
  for (const field of DESTINATION_HOST_FIELDS) {
    for (const [path, host] of stringsOf(task, field)) {
      judge(path, host, config.destinationDomains, "destinationDomains", "pushes to");
    }
  }
  for (const field of DESTINATION_URL_FIELDS) {
    for (const [path, text] of stringsOf(task, field)) {
      const url = parseUrl(text);
      if (url) judge(path, url.host, config.destinationDomains, "destinationDomains", "pushes to");
    }
  }
  return out;
}
