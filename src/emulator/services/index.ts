/** The registry of emulated services, keyed by their SigV4 signing name. */
import type { ServiceDefinition, ServiceName } from "../types.js";
import { cloudtrail } from "./cloudtrail.js";
import { config } from "./config.js";
import { ec2 } from "./ec2.js";
import { iam } from "./iam.js";
import { identitystore } from "./identitystore.js";
import { organizations } from "./organizations.js";
import { sso } from "./sso.js";
import { sts } from "./sts.js";

/** Every service by signing name (SSO Admin signs as `sso`, AWS Config as `config`). */
export const services: Record<ServiceName, ServiceDefinition> = {
  iam,
  sts,
  organizations,
  config,
  cloudtrail,
  sso,
  identitystore,
  ec2,
};
