/**
 * Organization-level facts, read once from the management (or delegated-administrator) account:
 * the accounts, the organization, its centralized root access features, its AWS Config
 * organization rules about MFA and each member's SCP chain. OU parents, policy attachments of OUs and the root, and policy documents are cached by
 * id, so the calls grow with accounts' own pages, not with the accounts times the OU depth.
 */

import { DescribeOrganizationConfigRulesCommand } from "@aws-sdk/client-config-service";
import {
  DescribePolicyCommand,
  ListAccountsCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  type Policy,
} from "@aws-sdk/client-organizations";
import type {
  OrganizationConfigRule,
  OrganizationInfo,
  RootCredentialsManagement,
  Section,
  ServiceControlPolicies,
} from "../snapshot/types.js";
import { allPages, type CollectContext, call, runSection } from "./context.js";
import { MFA_RULE_SOURCES } from "./sections/configRules.js";
import { readOrganization } from "./sections/organization.js";
import { readRootCredentialsManagement } from "./sections/rootCredentialsManagement.js";
import { toServiceControlPolicy } from "./sections/serviceControlPolicies.js";

export interface OrganizationAccount {
  id: string;
  name: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE (`State`, else the older `Status`). */
  status: string;
}

export interface OrganizationReader {
  /** Every account of the organization, all pages. A failure throws a SectionFailure. */
  listAccounts(): Promise<OrganizationAccount[]>;
  organization(): Promise<Section<OrganizationInfo>>;
  rootCredentialsManagement(): Promise<Section<RootCredentialsManagement>>;
  /** The AWS Config organization rules about MFA in the context's region. */
  organizationConfigRules(): Promise<Section<OrganizationConfigRule[]>>;
  /** The SCPs of `accountId` and of every OU above it, up to the root. */
  serviceControlPolicies(accountId: string, signal?: AbortSignal): Promise<Section<ServiceControlPolicies>>;
}

/** Memoizes `load` per key; a failure is forgotten so that the next account tries again. */
function cached<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let value = cache.get(key);
    if (!value) {
      value = load(key);
      cache.set(key, value);
      value.catch(() => cache.delete(key));
    }
    return value;
  };
}

/** `ctx` belongs to the management or delegated-administrator account. */
export function createOrganizationReader(ctx: CollectContext): OrganizationReader {
  const org = ctx.clients.get("organizations");
  const forAccount = (signal: AbortSignal | undefined): CollectContext => (signal ? { ...ctx, signal } : ctx);

  const parentOf = async (ChildId: string, c: CollectContext) => {
    const out = await call(c, "organizations:ListParents", (o) =>
      org.send(new ListParentsCommand({ ChildId }), o),
    );
    const parent = out.Parents?.[0];
    return parent?.Id ? { id: parent.Id, root: parent.Type === "ROOT" } : null;
  };
  const policiesOf = async (TargetId: string, c: CollectContext) => {
    const pages = await allPages(
      (NextToken) =>
        call(c, "organizations:ListPoliciesForTarget", (o) =>
          org.send(
            new ListPoliciesForTargetCommand({ TargetId, Filter: "SERVICE_CONTROL_POLICY", NextToken }),
            o,
          ),
        ),
      (page) => page.NextToken,
    );
    return pages.flatMap((page) => (page.Policies ?? []).map((p) => p.Id ?? ""));
  };
  const describe = cached(async (PolicyId: string): Promise<Policy | undefined> => {
    const out = await call(ctx, "organizations:DescribePolicy", (o) =>
      org.send(new DescribePolicyCommand({ PolicyId }), o),
    );
    return out.Policy;
  });
  const ouParent = cached((id: string) => parentOf(id, ctx));
  const ouPolicies = cached((id: string) => policiesOf(id, ctx));
  const organization = cached(() => runSection(ctx, () => readOrganization(ctx)));
  const rootFeatures = cached(() => runSection(ctx, () => readRootCredentialsManagement(ctx)));

  const chain = async (accountId: string, c: CollectContext): Promise<ServiceControlPolicies> => {
    const targets = [accountId];
    for (let parent = await parentOf(accountId, c); parent; parent = await ouParent(parent.id)) {
      targets.push(parent.id);
      if (parent.root) break;
    }
    const attachments = await Promise.all(
      targets.map(async (targetId, i) => {
        const ids = i === 0 ? await policiesOf(targetId, c) : await ouPolicies(targetId);
        return ids.map((id) => ({ targetId, id }));
      }),
    );
    const policies = await Promise.all(
      attachments
        .flat()
        .map(async ({ targetId, id }) => toServiceControlPolicy(id, targetId, await describe(id))),
    );
    return { targets, policies };
  };

  const readConfigRules = async (): Promise<OrganizationConfigRule[]> => {
    const config = ctx.clients.get("config", ctx.region);
    const pages = await allPages(
      (NextToken) =>
        call(ctx, "config:DescribeOrganizationConfigRules", (o) =>
          config.send(new DescribeOrganizationConfigRulesCommand({ NextToken }), o),
        ),
      (page) => page.NextToken,
    );
    return pages
      .flatMap((page) => page.OrganizationConfigRules ?? [])
      .filter((r) => MFA_RULE_SOURCES.has(r.OrganizationManagedRuleMetadata?.RuleIdentifier ?? ""))
      .map((r) => ({
        name: r.OrganizationConfigRuleName ?? "",
        arn: r.OrganizationConfigRuleArn ?? "",
        sourceIdentifier: r.OrganizationManagedRuleMetadata?.RuleIdentifier ?? "",
        excludedAccounts: r.ExcludedAccounts ?? [],
      }));
  };

  return {
    organizationConfigRules: () => runSection(ctx, readConfigRules),
    async listAccounts() {
      const pages = await allPages(
        (NextToken) =>
          call(ctx, "organizations:ListAccounts", (o) => org.send(new ListAccountsCommand({ NextToken }), o)),
        (page) => page.NextToken,
      );
      return pages.flatMap((page) =>
        (page.Accounts ?? []).map((a) => ({
          id: a.Id ?? "",
          name: a.Name ?? "",
          status: a.State ?? a.Status ?? "",
        })),
      );
    },
    organization: () => organization(""),
    rootCredentialsManagement: () => rootFeatures(""),
    serviceControlPolicies(accountId, signal) {
      const c = forAccount(signal);
      return runSection(c, () => chain(accountId, c));
    },
  };
}
