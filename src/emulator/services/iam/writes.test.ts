import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetGroupCommand,
  IAMClient,
  ListPoliciesCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../scenario.js";
import { createEmulator, type Emulator } from "../../server.js";
import { services } from "../index.js";
import { iamWriteHandlers } from "./writes.js";

const ACCOUNT = "123456789012";
const POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }],
};

describe("IAM write handlers", () => {
  let emulator: Emulator;
  let iam: IAMClient;

  beforeAll(async () => {
    const scenario = parseScenario({
      name: "iam-writes",
      accounts: [{ id: ACCOUNT, name: "writes", users: [{ name: "alice", created: "10d ago" }] }],
    });
    emulator = await createEmulator({
      scenario,
      services: {
        ...services,
        iam: { ...services.iam, handlers: { ...services.iam.handlers, ...iamWriteHandlers } },
      },
    });
    iam = new IAMClient({
      region: "us-east-1",
      endpoint: emulator.endpoint,
      credentials: emulator.credentialsFor(ACCOUNT),
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    iam.destroy();
    await emulator.close();
  });

  it("creates a policy and a group, attaches, adds a user, and later reads see it", async () => {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: "force-mfa", PolicyDocument: JSON.stringify(POLICY) }),
    );
    expect(created.Policy).toMatchObject({
      PolicyName: "force-mfa",
      Arn: `arn:aws:iam::${ACCOUNT}:policy/force-mfa`,
      DefaultVersionId: "v1",
    });
    const group = await iam.send(new CreateGroupCommand({ GroupName: "mfa" }));
    expect(group.Group).toMatchObject({
      GroupName: "mfa",
      Arn: `arn:aws:iam::${ACCOUNT}:group/mfa`,
      Path: "/",
    });
    await iam.send(
      new AttachGroupPolicyCommand({
        GroupName: "mfa",
        PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/force-mfa`,
      }),
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: "mfa", UserName: "alice" }));

    const members = await iam.send(new GetGroupCommand({ GroupName: "mfa" }));
    expect(members.Users?.map((u) => u.UserName)).toEqual(["alice"]);
    const listed = await iam.send(new ListPoliciesCommand({ Scope: "Local" }));
    expect(listed.Policies?.map((p) => [p.PolicyName, p.AttachmentCount])).toEqual([["force-mfa", 1]]);

    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    expect(details.UserDetailList?.find((u) => u.UserName === "alice")?.GroupList).toEqual(["mfa"]);
    expect(details.GroupDetailList?.[0]?.AttachedManagedPolicies).toEqual([
      { PolicyName: "force-mfa", PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/force-mfa` },
    ]);
    const doc = details.Policies?.find((p) => p.PolicyName === "force-mfa")?.PolicyVersionList?.[0]?.Document;
    expect(JSON.parse(decodeURIComponent(doc ?? "{}"))).toEqual(POLICY);
  });

  it("answers IAM's errors", async () => {
    const fail = (request: Promise<unknown>) =>
      request.then(
        () => null,
        (error: { name: string; $metadata: { httpStatusCode?: number } }) => [
          error.name,
          error.$metadata.httpStatusCode,
        ],
      );
    expect(
      await fail(
        iam.send(
          new CreatePolicyCommand({ PolicyName: "force-mfa", PolicyDocument: JSON.stringify(POLICY) }),
        ),
      ),
    ).toEqual(["EntityAlreadyExistsException", 409]);
    expect(
      await fail(iam.send(new CreatePolicyCommand({ PolicyName: "bad", PolicyDocument: "{not json" }))),
    ).toEqual(["MalformedPolicyDocumentException", 400]);
    expect(await fail(iam.send(new CreateGroupCommand({ GroupName: "MFA" })))).toEqual([
      "EntityAlreadyExistsException",
      409,
    ]);
    expect(await fail(iam.send(new GetGroupCommand({ GroupName: "nobody" })))).toEqual([
      "NoSuchEntityException",
      404,
    ]);
    expect(await fail(iam.send(new AddUserToGroupCommand({ GroupName: "mfa", UserName: "ghost" })))).toEqual([
      "NoSuchEntityException",
      404,
    ]);
    expect(
      await fail(
        iam.send(
          new AttachGroupPolicyCommand({
            GroupName: "mfa",
            PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/none`,
          }),
        ),
      ),
    ).toEqual(["NoSuchEntityException", 404]);
  });
});
