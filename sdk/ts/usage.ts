/**
 * Calling the Summit Briefing API from TypeScript with plain `fetch` and the types that
 * openapi-typescript generates from docs/openapi.yaml (build/ts/schema.d.ts, imported here as
 * "summit-briefing-api" through tsconfig `paths`). `tsc --noEmit` type-checks this file, so a
 * schema change that breaks these calls fails sdk/typescript.sh and the test suite.
 */
import type { components, operations, paths } from "summit-briefing-api";

type Schemas = components["schemas"];
export type Meeting = Schemas["Meeting"];
export type Statement = Schemas["Statement"];
export type Problem = Schemas["Problem"];

type MeetingsQuery = NonNullable<operations["meetings_list"]["parameters"]["query"]>;
type MeetingsPage = paths["/meetings/"]["get"]["responses"][200]["content"]["application/json"];
type StatementsQuery = NonNullable<operations["statements_list"]["parameters"]["query"]>;
type StatementsPage = paths["/statements/"]["get"]["responses"][200]["content"]["application/json"];
type MeetingDetail = paths["/meetings/{slug}/"]["get"]["responses"][200]["content"]["application/json"];
type NotFound = paths["/meetings/{slug}/"]["get"]["responses"][404]["content"]["application/json"];

/** An error answer of the API: its RFC 9457 problem body, typed. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

type QueryValue = string | number | boolean | readonly string[] | undefined;

/** `?a=1&b=x&b=y`: arrays repeat their parameter (`official` is `explode: true`). */
function queryString(query: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** GET a URL and return its JSON body as `T`; an error status throws its typed problem. */
async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body: unknown = await response.json();
  if (!response.ok) throw new ApiError(body as Problem);
  return body as T;
}

/** One page of meetings matching the filters. */
export function listMeetings(baseUrl: string, query: MeetingsQuery = {}): Promise<MeetingsPage> {
  return getJson<MeetingsPage>(`${baseUrl}/meetings/${queryString(query)}`);
}

/** One meeting with its statements. */
export function getMeeting(baseUrl: string, slug: string): Promise<MeetingDetail> {
  return getJson<MeetingDetail>(`${baseUrl}/meetings/${encodeURIComponent(slug)}/`);
}

/** Every statement matching the filters, following the `next` cursor links page by page. */
export async function* allStatements(baseUrl: string, query: StatementsQuery = {}): AsyncGenerator<Statement> {
  let url: string | null | undefined = `${baseUrl}/statements/${queryString(query)}`;
  while (url) {
    const page: StatementsPage = await getJson<StatementsPage>(url);
    yield* page.results;
    url = page.next;
  }
}

/** Who met whom, what Lloyd Austin said about the bended knee, and a typed 404. */
export async function example(baseUrl: string): Promise<void> {
  const shared = await listMeetings(baseUrl, { official: ["jens-stoltenberg", "lloyd-austin"] });
  for (const meeting of shared.results) {
    // Every property may be trimmed by `fields`/`omit`, so each is optional in the types.
    const kind: Schemas["MeetingKindEnum"] | undefined = meeting.kind;
    const who = (meeting.participants ?? []).map((p) => `${p.official.name} (${p.role})`).join(", ");
    console.log(`${meeting.date} ${meeting.title} [${kind}]: ${who}`);
  }

  const onTopic = await listMeetings(baseUrl, { official: ["antony-blinken"], topic: "madrid-summit", page_size: 5 });
  console.log(onTopic.results.map((meeting) => meeting.slug));

  for await (const statement of allStatements(baseUrl, { search: "bended knee", page_size: 7 })) {
    const span = `${statement.article?.slug}[${statement.start}:${statement.end}]`;
    console.log(`${statement.speaker?.name} (${statement.kind}, ${span}): ${statement.text}`);
  }

  try {
    await getMeeting(baseUrl, "no-such-meeting");
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const problem: NotFound = error.problem;
    console.log(problem.code, problem.errors.map((e) => e.field ?? "(general)"));
  }

  // The generated types are strict: a misspelt parameter or a wrong enum value does not compile.
  // @ts-expect-error `officials` is not a parameter of meetings_list (it is `official`).
  await listMeetings(baseUrl, { officials: ["jens-stoltenberg"] });
  // @ts-expect-error `interview` is not a kind of meeting.
  await listMeetings(baseUrl, { kind: "interview" });
}
