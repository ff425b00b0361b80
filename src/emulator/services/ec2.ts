/** The emulated EC2 service (EC2 protocol): DescribeRegions, for the account's enabled regions. */
import { AwsError, type Handler, type ServiceDefinition } from "../types.js";

/** Regions launched after March 2019 are disabled until the account opts in. */
const OPT_IN_REGIONS = new Set([
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
]);

const describeRegions: Handler = (ctx) => {
  const enabled = ctx.account.regions;
  const raw = ctx.input.RegionName;
  const asked = raw === undefined ? enabled : (Array.isArray(raw) ? raw : [raw]).map(String);
  const unknown = asked.filter((region) => !enabled.includes(region));
  if (unknown.length > 0) {
    throw new AwsError("InvalidParameterValue", `Invalid region: [${unknown.join(", ")}]`);
  }
  return {
    regionInfo: asked.map((region) => ({
      regionName: region,
      regionEndpoint: `ec2.${region}.amazonaws.com`,
      optInStatus: OPT_IN_REGIONS.has(region) ? "opted-in" : "opt-in-not-required",
    })),
  };
};

export const ec2: ServiceDefinition = {
  name: "ec2",
  protocol: "ec2",
  xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
  handlers: { DescribeRegions: describeRegions },
};
