/**
 * The one place that builds AWS SDK clients: one per service and region, with the credentials,
 * endpoint and retry settings of the run. The SDK's default logger is a no-op and mfawatch never
 * passes one, so credentials are never logged.
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";

export type RetryMode = "standard" | "adaptive";

export interface ClientOptions {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The region of regional calls when none is given (Config, EC2, STS). */
  region: string;
  /** Sends every call to this URL; otherwise the SDK applies AWS_ENDPOINT_URL(_<SERVICE>) itself. */
  endpoint?: string;
  /** Attempts per call including the first (SDK default 3). */
  maxAttempts?: number;
  retryMode?: RetryMode;
}

/** IAM and Organizations are global services signed in us-east-1 (aws partition). */
export const GLOBAL_REGION = "us-east-1";

const constructors = {
  iam: IAMClient,
  sts: STSClient,
  organizations: OrganizationsClient,
  config: ConfigServiceClient,
  cloudtrail: CloudTrailClient,
  ssoAdmin: SSOAdminClient,
  identitystore: IdentitystoreClient,
  ec2: EC2Client,
};

type Constructors = typeof constructors;
export type ServiceKey = keyof Constructors;
export type ClientOf<K extends ServiceKey> = InstanceType<Constructors[K]>;

export interface ClientFactory {
  readonly region: string;
  /** The client of `service` in `region` (default: the factory's region; global services: us-east-1). */
  get<K extends ServiceKey>(service: K, region?: string): ClientOf<K>;
  /**
   * Closes and forgets the client of `service` in `region`: a regional read that is done needs it
   * no more, and in an organization scan each account in flight would otherwise keep one client
   * per service and enabled region until it finishes.
   */
  release(service: ServiceKey, region?: string): void;
  /** Closes every client's connections. */
  destroy(): void;
}

export function createClientFactory(options: ClientOptions): ClientFactory {
  const cache = new Map<string, { destroy(): void }>();
  const keyOf = (service: ServiceKey, region: string | undefined) => {
    const global = service === "iam" || service === "organizations";
    const where = global ? GLOBAL_REGION : (region ?? options.region);
    return { key: `${service}/${where}`, where };
  };
  return {
    region: options.region,
    get<K extends ServiceKey>(service: K, region?: string): ClientOf<K> {
      const { key, where } = keyOf(service, region);
      let client = cache.get(key);
      if (!client) {
        const Ctor = constructors[service] as new (config: object) => ClientOf<K>;
        client = new Ctor({
          region: where,
          credentials: options.credentials,
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          maxAttempts: options.maxAttempts ?? 3,
          retryMode: options.retryMode ?? "standard",
        });
        cache.set(key, client);
      }
      return client as ClientOf<K>;
    },
    release(service, region) {
      const { key } = keyOf(service, region);
      cache.get(key)?.destroy();
      cache.delete(key);
    },
    destroy() {
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}
