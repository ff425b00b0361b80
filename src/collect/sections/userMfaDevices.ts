import { ListMFADevicesCommand } from "@aws-sdk/client-iam";
import type { Section, UserMfaDevices, VirtualMfaDevice } from "../../snapshot/types.js";
import {
  allPages,
  type CollectContext,
  call,
  dependencyFailed,
  mapLimit,
  SectionFailure,
} from "../context.js";

/**
 * ListMFADevices for the IAM users who hold a virtual MFA device: only they can also hold a
 * hardware or FIDO key that the virtual-device list does not show. Bounded in `auto` mode so that
 * API cost grows with pages, not with users.
 */
export async function readUserMfaDevices(
  ctx: CollectContext,
  virtual: Section<VirtualMfaDevice[]>,
): Promise<UserMfaDevices> {
  const mode = ctx.settings.userMfaDevices;
  if (mode === "none") {
    throw new SectionFailure({
      code: "Skipped",
      message:
        "ListMFADevices per user was turned off (--user-mfa-devices none); use auto or all to read it.",
    });
  }
  if (virtual.status === "error") throw dependencyFailed("virtualMfaDevices", virtual);
  const users = [
    ...new Set(
      virtual.data
        .filter((d) => d.userName && d.userArn && !d.userArn.endsWith(":root"))
        .map((d) => d.userName as string),
    ),
  ].sort();
  const limit = ctx.settings.userMfaDevicesLimit;
  if (mode === "auto" && users.length > limit) {
    throw new SectionFailure({
      code: "Skipped",
      message: `${users.length} users hold a virtual MFA device, more than the ${limit} read in auto mode (one ListMFADevices call each); use --user-mfa-devices all to read them.`,
    });
  }
  const iam = ctx.clients.get("iam");
  const lists = await mapLimit(users, 5, (UserName) =>
    allPages(
      (Marker) =>
        call(ctx, "iam:ListMFADevices", (o) => iam.send(new ListMFADevicesCommand({ UserName, Marker }), o)),
      (page) => (page.IsTruncated ? page.Marker : undefined),
    ),
  );
  const byUser: UserMfaDevices["byUser"] = {};
  users.forEach((user, i) => {
    byUser[user] = (lists[i] ?? []).flatMap((page) =>
      (page.MFADevices ?? []).map((d) => ({
        serialNumber: d.SerialNumber ?? "",
        enableDate: d.EnableDate?.toISOString() ?? "",
      })),
    );
  });
  return { byUser };
}
