import { describe, expect, it } from "vitest";
import { AwsError, XmlMap } from "../types.js";
import { decodeQueryParams, QueryDecodeError, renderQueryError, renderQueryResponse } from "./query.js";
import { toXml } from "./xml.js";

const decode = (body: string) => decodeQueryParams(new URLSearchParams(body));

describe("decodeQueryParams", () => {
  it("turns member lists, nested structures and maps into a structure, leaving out Action and Version", () => {
    expect(
      decode(
        "Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.2=Role&Filter.member.1=User&MaxItems=100" +
          "&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FX" +
          "&Tags.member.1.Key=team&Tags.member.1.Value=sec&Attrs.entry.1.key=a&Attrs.entry.1.value=1",
      ),
    ).toEqual({
      Filter: ["User", "Role"],
      MaxItems: "100",
      TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/X" },
      Tags: [{ Key: "team", Value: "sec" }],
      Attrs: { a: "1" },
    });
  });

  it("reads EC2-style lists without .member", () => {
    expect(
      decode(
        "Action=DescribeRegions&RegionName.1=us-east-1&RegionName.2=eu-west-1&Filter.1.Name=n&Filter.1.Value.1=v",
      ),
    ).toEqual({
      RegionName: ["us-east-1", "eu-west-1"],
      Filter: [{ Name: "n", Value: ["v"] }],
    });
  });

  it("keeps an empty list parameter as an empty string and rejects conflicting parameters", () => {
    expect(decode("Filter=")).toEqual({ Filter: "" });
    expect(() => decode("A=1&A.b=2")).toThrow(QueryDecodeError);
    expect(() => decode("A.member.x=1")).toThrow(QueryDecodeError);
  });
});

describe("Query XML", () => {
  it("serializes lists as members, XmlMaps as entries, dates, booleans and bytes, omitting null fields", () => {
    const xml = toXml(
      {
        Users: [{ UserName: "a<b", CreateDate: new Date("2026-01-02T03:04:05Z") }],
        SummaryMap: new XmlMap({ Users: 2, AccountMFAEnabled: 1 }),
        IsTruncated: false,
        Content: Buffer.from("user,arn\n"),
        Marker: undefined,
        Missing: null,
      },
      "member",
    );
    expect(xml).toBe(
      "<Users><member><UserName>a&lt;b</UserName><CreateDate>2026-01-02T03:04:05.000Z</CreateDate></member></Users>" +
        "<SummaryMap><entry><key>Users</key><value>2</value></entry><entry><key>AccountMFAEnabled</key><value>1</value></entry></SummaryMap>" +
        "<IsTruncated>false</IsTruncated><Content>dXNlcixhcm4K</Content>",
    );
  });

  it("wraps results and errors as AWS does", () => {
    expect(
      renderQueryResponse(
        "GetUser",
        "https://iam.amazonaws.com/doc/2010-05-08/",
        { User: { UserName: "x" } },
        "r1",
      ),
    ).toBe(
      '<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><UserName>x</UserName></User></GetUserResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetUserResponse>',
    );
    expect(renderQueryError(new AwsError("NoSuchEntity", "no & such", 404), undefined, "r2")).toBe(
      "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no &amp; such</Message></Error><RequestId>r2</RequestId></ErrorResponse>",
    );
  });
});
