import { ListVirtualMFADevicesCommand } from "@aws-sdk/client-iam";
import type { VirtualMfaDevice } from "../../snapshot/types.js";
import { allPages, type CollectContext, call } from "../context.js";

/** The assigned virtual MFA devices, all pages. */
export async function readVirtualMfaDevices(ctx: CollectContext): Promise<VirtualMfaDevice[]> {
  const iam = ctx.clients.get("iam");
  const pages = await allPages(
    (Marker) =>
      call(ctx, "iam:ListVirtualMFADevices", (o) =>
        iam.send(
          new ListVirtualMFADevicesCommand({ AssignmentStatus: "Assigned", MaxItems: 1000, Marker }),
          o,
        ),
      ),
    (page) => (page.IsTruncated ? page.Marker : undefined),
  );
  return pages.flatMap((page) =>
    (page.VirtualMFADevices ?? []).map((d) => ({
      serialNumber: d.SerialNumber ?? "",
      userArn: d.User?.Arn ?? null,
      userName: d.User?.UserName ?? null,
      enableDate: d.EnableDate?.toISOString() ?? null,
    })),
  );
}
