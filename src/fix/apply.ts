/**
 * Applies the policy-and-group part of a plan: create the force-MFA policy and the group when
 * absent, attach the policy, add the console users. Each step is idempotent, so a re-run after a
 * failure finishes the job. Nothing else of the plan is ever written.
 */
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  GetGroupCommand,
  type IAMClient,
  ListPoliciesCommand,
} from "@aws-sdk/client-iam";
import type { FixPlan } from "./plan.js";

export interface ApplyStep {
  step: string;
  outcome: "done" | "already";
}

/** A step failed; `done` lists what was changed before it. */
export class ApplyError extends Error {
  constructor(
    readonly step: string,
    readonly done: ApplyStep[],
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApplyError";
  }
}

function errorCode(error: unknown): string {
  return (error as { name?: string }).name ?? "Error";
}

async function policyExists(iam: IAMClient, arn: string): Promise<boolean> {
  let Marker: string | undefined;
  do {
    const page = await iam.send(new ListPoliciesCommand({ Scope: "Local", Marker }));
    if (page.Policies?.some((p) => p.Arn === arn)) return true;
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return false;
}

async function groupMembers(iam: IAMClient, GroupName: string): Promise<string[] | null> {
  const members: string[] = [];
  let Marker: string | undefined;
  try {
    do {
      const page = await iam.send(new GetGroupCommand({ GroupName, Marker }));
      members.push(...(page.Users ?? []).flatMap((u) => (u.UserName ? [u.UserName] : [])));
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
  } catch (error) {
    if (errorCode(error) === "NoSuchEntityException" || errorCode(error) === "NoSuchEntity") return null;
    throw error;
  }
  return members;
}

export async function applyFixPlan(
  iam: IAMClient,
  plan: FixPlan,
  onStep: (step: ApplyStep) => void = () => {},
): Promise<ApplyStep[]> {
  const done: ApplyStep[] = [];
  const run = async (step: string, action: () => Promise<ApplyStep["outcome"]>) => {
    let outcome: ApplyStep["outcome"];
    try {
      outcome = await action();
    } catch (error) {
      throw new ApplyError(
        step,
        done,
        errorCode(error),
        `${step} failed: ${errorCode(error)}: ${(error as Error).message}`,
      );
    }
    const result = { step, outcome };
    done.push(result);
    onStep(result);
  };
  const { policy, group } = plan;

  await run(`create policy ${policy.arn}`, async () => {
    if (await policyExists(iam, policy.arn)) return "already";
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: policy.name,
        PolicyDocument: JSON.stringify(policy.document),
        Description: "Deny everything except MFA self-service until the user signs in with MFA (mfawatch)",
      }),
    );
    return "done";
  });
  let members: string[] = [];
  await run(`create group ${group.name}`, async () => {
    const existing = await groupMembers(iam, group.name);
    if (existing) {
      members = existing;
      return "already";
    }
    await iam.send(new CreateGroupCommand({ GroupName: group.name }));
    return "done";
  });
  await run(`attach ${policy.name} to group ${group.name}`, async () => {
    await iam.send(new AttachGroupPolicyCommand({ GroupName: group.name, PolicyArn: policy.arn }));
    return "done";
  });
  for (const user of group.members) {
    await run(`add ${user} to group ${group.name}`, async () => {
      if (members.includes(user)) return "already";
      await iam.send(new AddUserToGroupCommand({ GroupName: group.name, UserName: user }));
      return "done";
    });
  }
  return done;
}
