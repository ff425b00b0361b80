/**
 * Credentials and region for a run: the SDK's default provider chain (environment, shared config
 * and credentials files, SSO profiles, container and instance metadata), optionally for a profile.
 */
import { STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";

export const DEFAULT_REGION = "us-east-1";

/** The default credential chain, for `profile` when given (else AWS_PROFILE or `default`). */
export function defaultCredentials(profile?: string): AwsCredentialIdentityProvider {
  return fromNodeProviderChain(profile ? { profile } : {});
}

/**
 * The region: `explicit` (--region), else AWS_REGION / the profile's `region` as the SDK resolves
 * them, else us-east-1.
 */
export async function resolveRegion(explicit?: string, profile?: string): Promise<string> {
  if (explicit) return explicit;
  const probe = new STSClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return DEFAULT_REGION;
  } finally {
    probe.destroy();
  }
}
