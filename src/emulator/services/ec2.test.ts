import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const A = "111111111111";
const B = "222222222222";

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function ec2For(accountId: string): Promise<EC2Client> {
  emulator ??= await createEmulator({
    scenario: parseScenario({
      name: "regions",
      accounts: [
        { id: A, name: "Alpha", regions: ["us-east-1", "eu-west-1", "af-south-1"] },
        { id: B, name: "Beta" },
      ],
    }),
  });
  return new EC2Client({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: emulator.credentialsFor(accountId),
  });
}

describe("DescribeRegions", () => {
  it("lists the account's enabled regions with endpoint and opt-in status", async () => {
    const { Regions } = await (await ec2For(A)).send(new DescribeRegionsCommand({}));
    expect(Regions).toEqual([
      {
        RegionName: "us-east-1",
        Endpoint: "ec2.us-east-1.amazonaws.com",
        OptInStatus: "opt-in-not-required",
      },
      {
        RegionName: "eu-west-1",
        Endpoint: "ec2.eu-west-1.amazonaws.com",
        OptInStatus: "opt-in-not-required",
      },
      { RegionName: "af-south-1", Endpoint: "ec2.af-south-1.amazonaws.com", OptInStatus: "opted-in" },
    ]);
    const defaults = await (await ec2For(B)).send(new DescribeRegionsCommand({}));
    expect(defaults.Regions?.map((r) => r.RegionName)).toEqual([
      "us-east-1",
      "us-east-2",
      "us-west-2",
      "eu-west-1",
      "eu-central-1",
    ]);
  });

  it("narrows to RegionNames and refuses a region the account does not have", async () => {
    const ec2 = await ec2For(A);
    const one = await ec2.send(new DescribeRegionsCommand({ RegionNames: ["eu-west-1"] }));
    expect(one.Regions?.map((r) => r.RegionName)).toEqual(["eu-west-1"]);
    const error = await ec2.send(new DescribeRegionsCommand({ RegionNames: ["eu-west-1", "mars-1"] })).then(
      () => {
        throw new Error("the call succeeded");
      },
      (e: unknown) => e as Error,
    );
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toBe("Invalid region: [mars-1]");
  });
});
