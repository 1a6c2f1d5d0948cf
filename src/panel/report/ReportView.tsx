/**
 * The Report view: how far along the site's alt text is, per locale and folder (counted with the
 * grid's own filters, so every number opens the grid on exactly those images), what visitors
 * see per page and CMS collection (weighted by use), and progress from the journal. Exports as
 * CSV and prints on light paper for a client. Loaded on demand (ReportSlot.tsx).
 */
import { batch, useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Locale, RefreshState } from '../../core/api.ts';
import { folderPaths } from '../../core/csv-export.ts';
import type { LocaleUseCoverage, PlaceCoverage, ReportResponse } from '../../core/report.ts';
import type { UsageCrawlState } from '../../core/usage.ts';
import { download } from '../components/download.ts';
import { placeWords } from '../usage/PlaceFilterChip.tsx';
import { crawlMessage } from '../usage/wording.ts';
import { plural, formatCount } from '../components/format.ts';
import type { Workspace } from '../workspace.ts';
import { folderCoverage, gridQuery, localeCoverage, share, type Coverage, type CoverageMeasure } from './coverage.ts';
import { MissingChart, type ChartLine } from './MissingChart.tsx';
import { missingByDay, personName, stretchSentence } from './progress.ts';
import { reportCsv } from './report-csv.ts';
import './report.css';

const MEASURE_WORDS: Record<CoverageMeasure, string> = {
  images: 'images',
  decorative: 'decorative images',
  missing: 'images missing alt text',
  review: 'images whose alt text needs review',
};

/** Places listed before "Show all". */
const PLACES_SHOWN = 25;

export function ReportView({ workspace }: { workspace: Workspace }) {
  const { find, assets, report } = workspace;
  const index = find.index.value;
  const libraryReading = firstReadMessage(assets.refresh.value);
  const locales = assets.locales.value;
  const load = report.load.value;
  const folderLocale = useSignal<string | null>(null);
  const allPlaces = useSignal(false);

  const byLocale = useMemo(() => localeCoverage(index, locales), [index, locales]);
  const byFolder = useMemo(() => folderCoverage(index, folderLocale.value), [index, folderLocale.value]);
  const localeName = (id: string | null | undefined): string => nameOfLocale(locales, id);
  const folderRows = workspace.folders.rows.value;

  /** Opens the grid on the images behind a count. */
  const openInGrid = (measure: CoverageMeasure, localeId: string | null, folderId: string | null, count: number) => {
    const query = gridQuery(measure, localeId, folderId);
    find.text.value = query.text;
    find.usage.value = query.usage;
    find.kind.value = query.kind;
    find.filter.value = query.filter;
    find.folderId.value = query.folderId;
    find.localeId.value = query.localeId;
    report.hide();
    workspace.announcer.say(`Showing ${formatCount(count)} ${MEASURE_WORDS[measure]}${locales.length > 1 ? ` in ${localeName(localeId)}` : ''}.`);
  };

  /** Opens the grid on the assets used at a page or collection, its locale chosen. */
  const openPlace = (place: PlaceCoverage) => {
    const primary = locales.find((locale) => locale.primary);
    batch(() => {
      find.clear();
      find.localeId.value = place.localeId === primary?.id ? null : place.localeId;
      find.place.value = { kind: place.kind, id: place.id, name: place.name, assetIds: new Set(place.assetIds) };
    });
    report.hide();
    workspace.announcer.say(`Showing the ${plural(place.assetIds.length, 'asset')} used on ${placeWords(place)}.`);
  };

  // The link's name starts with the number it shows (what speech input users say to follow it).
  const countLink = (measure: CoverageMeasure, count: number, whole: number, localeId: string | null, folderId: string | null, where: string) => (
    <>
      <a
        href="#assets"
        aria-label={`${formatCount(count)} ${MEASURE_WORDS[measure]}${where}: show them in the grid`}
        onClick={(event) => {
          event.preventDefault();
          openInGrid(measure, localeId, folderId, count);
        }}
      >
        {formatCount(count)}
      </a>
      {measure !== 'images' && <span class="share"> {share(count, whole)}</span>}
    </>
  );

  const coverageCells = (row: Coverage, localeId: string | null, folderId: string | null, where: string) => (
    <>
      <td>{countLink('images', row.images, row.images, localeId, folderId, where)}</td>
      <td>
        {formatCount(row.withAlt)}
        <span class="share"> {share(row.withAlt, row.images)}</span>
      </td>
      <td>{countLink('decorative', row.decorative, row.images, localeId, folderId, where)}</td>
      <td>{countLink('missing', row.missing, row.images, localeId, folderId, where)}</td>
      <td>{countLink('review', row.review, row.images, localeId, folderId, where)}</td>
      <td aria-hidden="true" class="report-bar-cell">
        <Bar parts={[row.withAlt - row.review, row.review, row.decorative, row.missing]} />
      </td>
    </>
  );

  // While the report is read again, the one read before stays on screen.
  const ready = load.state === 'ready' ? load.report : load.state === 'loading' ? (load.shown ?? null) : null;
  // A CSV exported while the first reads run would hand a client zeros and empty tables.
  const waiting = Boolean(libraryReading) || load.state === 'loading' || (ready !== null && !ready.usageBuilt && workspace.usage.crawl.value?.state === 'running');
  const today = new Date().toISOString().slice(0, 10);
  const lines: ChartLine[] = byLocale.map((row) => ({ key: row.localeId ?? '', label: row.locale.displayName }));
  const days = useMemo(
    () => (ready ? missingByDay(ready.days, new Map(byLocale.map((row) => [row.localeId ?? '', row.missing])), today) : []),
    [ready, byLocale, today],
  );
  const paths = useMemo(() => folderPaths(assets.folders.value), [assets.folders.value]);

  const exportReport = () => {
    const text = reportCsv({
      locales: byLocale,
      folders: {
        localeName: localeName(folderLocale.value),
        rows: folderRows.flatMap((row) => {
          const coverage = byFolder.get(row.folder.id);
          return coverage ? [{ ...coverage, path: paths.get(row.folder.id) ?? row.folder.name }] : [];
        }),
      },
      visitors: (ready?.visitors ?? []).map((row) => ({ ...row, localeName: localeName(row.localeId) })),
      places: (ready?.places ?? []).map((row) => ({ ...row, localeName: localeName(row.localeId) })),
      days,
      localeNames: new Map(lines.map((line) => [line.key, line.label])),
    });
    const fileName = `${workspace.siteName || 'Site'} accessibility report ${today}.csv`.replace(/[\\/:*?"<>|]+/g, ' ');
    download(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName);
    workspace.announcer.say(`Exported the report to ${fileName}.`, 'success');
  };

  return (
    <section class="report" aria-labelledby="report-title">
      <header class="report-head">
        <h2 id="report-title">Report</h2>
        <p class="report-site">
          {workspace.siteName || 'This site'}, {new Date().toLocaleDateString('en', { year: 'numeric', month: 'long', day: 'numeric' })}
        </p>
        <div class="report-actions">
          <button type="button" onClick={() => report.hide()}>
            Back to assets
          </button>
          <button type="button" onClick={exportReport} disabled={waiting} title={waiting ? 'Waits until the report has read the site' : undefined}>
            Export report CSV
          </button>
          <button type="button" onClick={() => window.print()}>
            Print…
          </button>
        </div>
      </header>

      {libraryReading && (
        <p role="status" class="report-waiting">
          {libraryReading}
        </p>
      )}

      {!libraryReading && (
        <section aria-labelledby="report-locales">
          <h3 id="report-locales">Alt text of images, by locale</h3>
          <TableBox>
            <table class="report-table">
              <caption>Images in the asset library by locale; each number opens the grid on those images</caption>
              <thead>
                <tr>
                  <th scope="col">Locale</th>
                  <CoverageHeads />
                </tr>
              </thead>
              <tbody>
                {byLocale.map((row) => (
                  <tr key={row.locale.id}>
                    <th scope="row">{row.locale.displayName}</th>
                    {coverageCells(row, row.localeId, null, locales.length > 1 ? ` in ${row.locale.displayName}` : '')}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
          <Legend />
        </section>
      )}

      {!libraryReading && folderRows.length > 0 && (
        <section aria-labelledby="report-folders">
          <h3 id="report-folders">By folder</h3>
          {locales.length > 1 && (
            <label class="report-locale">
              Locale{' '}
              <select value={folderLocale.value ?? ''} onChange={(event) => (folderLocale.value = event.currentTarget.value || null)}>
                {byLocale.map((row) => (
                  <option key={row.locale.id} value={row.localeId ?? ''}>
                    {row.locale.displayName}
                  </option>
                ))}
              </select>
            </label>
          )}
          <TableBox>
            <table class="report-table">
              <caption>Images by folder{locales.length > 1 ? `, in ${localeName(folderLocale.value)}` : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Folder (with its subfolders)</th>
                  <CoverageHeads />
                </tr>
              </thead>
              <tbody>
                {folderRows.map((row) => {
                  const coverage = byFolder.get(row.folder.id);
                  if (!coverage) return null;
                  return (
                    <tr key={row.folder.id}>
                      <th scope="row" style={{ paddingLeft: `${4 + row.depth * 12}px` }}>
                        {row.folder.name}
                      </th>
                      {coverageCells(coverage, folderLocale.value, row.folder.id, ` in ${row.folder.name}`)}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableBox>
        </section>
      )}

      <section aria-labelledby="report-visitors">
        <h3 id="report-visitors">What visitors see</h3>
        {load.state === 'loading' && <p role="status">Reading pages, CMS collections and progress…</p>}
        {load.state === 'failed' && (
          <p role="alert">
            {load.message}{' '}
            <button type="button" onClick={() => void report.reload()}>
              Try again
            </button>
          </p>
        )}
        {ready && !ready.usageBuilt && <UsageWaiting crawl={workspace.usage.crawl.value} />}
        {ready && ready.usageBuilt && (
          <>
            <p class="hint">Each use counts once: an image on 30 pages counts 30 times. Images in components no page places are left out.</p>
            <UseTable caption="The whole site" rows={ready.visitors.map((row) => ({ key: row.localeId ?? '', name: localeName(row.localeId), row }))} first="Locale" />
            <UseTable
              caption={`Pages and CMS collections, most missing first (${plural(ready.places.length, 'row')})`}
              first="Page or collection"
              rows={(allPlaces.value ? ready.places : ready.places.slice(0, PLACES_SHOWN)).map((place) => ({
                key: `${place.kind}|${place.id}|${place.localeId ?? ''}`,
                name: `${place.name} (${place.kind === 'page' ? 'page' : 'collection'}${locales.length > 1 ? `, ${localeName(place.localeId)}` : ''})`,
                row: place,
                open: {
                  label: `${formatCount(place.uses)} uses on ${placeWords(place)}: show its ${plural(place.assets, 'asset')} in the grid`,
                  onOpen: () => openPlace(place),
                },
              }))}
            />
            {ready.places.length > PLACES_SHOWN && (
              <button type="button" class="report-more" onClick={() => (allPlaces.value = !allPlaces.value)}>
                {allPlaces.value ? `Show the first ${PLACES_SHOWN}` : `Show all ${formatCount(ready.places.length)}`}
              </button>
            )}
          </>
        )}
      </section>

      {ready && !libraryReading && <Progress report={ready} days={days} lines={lines} />}
    </section>
  );
}

/**
 * While the backend's first read of the site's assets runs, the library's counts (and the missing
 * per day, counted back from them) would be zeros or a part: what it waits for, instead.
 */
export function firstReadMessage(refresh: RefreshState | null): string | null {
  if (refresh?.state !== 'running' || refresh.finishedAt !== null) return null;
  const total = refresh.total !== null ? ` of ${formatCount(refresh.total)}` : '';
  return `Reading this site’s assets from Webflow (${formatCount(refresh.done)}${total} so far): the figures show here once every asset is read.`;
}

/** What the pages and collections wait for: the usage index's first crawl, a re-install, or a retry after a failure. */
function UsageWaiting({ crawl }: { crawl: UsageCrawlState | null }) {
  if (crawl?.state === 'running' || (crawl?.state === 'idle' && !crawl.built)) {
    const total = crawl.total !== null ? ` of ${formatCount(crawl.total)}` : '';
    return (
      <p role="status" class="report-waiting">
        Reading where images are used on pages and in CMS collections ({formatCount(crawl.done)}
        {total} requests so far): pages and collections show here once the whole site is read.
      </p>
    );
  }
  const message = crawlMessage(crawl);
  return <p class="hint">{message?.text ?? 'Where images are used has not been read yet: pages and CMS collections show here once it has.'}</p>;
}

function Progress({ report, days, lines }: { report: ReportResponse; days: ReturnType<typeof missingByDay>; lines: ChartLine[] }) {
  return (
    <section aria-labelledby="report-progress">
      <h3 id="report-progress">Progress</h3>
      <p class="report-stretch">{stretchSentence(report.stretch)}</p>
      <p class="hint">
        Images missing alt text at the end of each day (UTC), counted back from today with the changes Asset Desk applied; changes made elsewhere in Webflow and new
        uploads are not in the journal.
      </p>
      {days.length > 0 && <MissingChart days={days} lines={lines} />}
      <TableBox labelledBy="report-days-caption">
        <table class="report-table">
          <caption id="report-days-caption">Images missing alt text, and alt-text changes applied, by day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {lines.map((line) => (
                <th scope="col" key={line.key}>
                  Missing{lines.length > 1 ? `, ${line.label}` : ''}
                </th>
              ))}
              <th scope="col">Given alt text</th>
              <th scope="col">Emptied</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.day}>
                <th scope="row">{day.day}</th>
                {lines.map((line) => (
                  <td key={line.key}>{formatCount(day.missing.get(line.key) ?? 0)}</td>
                ))}
                <td>{formatCount(day.fixed)}</td>
                <td>{formatCount(day.emptied)}</td>
                <td>{formatCount(day.changes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
      {report.people.length > 0 && (
        <TableBox labelledBy="report-people-caption">
          <table class="report-table">
            <caption id="report-people-caption">Changes applied per day and person</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Person</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {report.people.map((person) => (
                <tr key={`${person.day}|${person.userId}`}>
                  <th scope="row">{person.day}</th>
                  <td>{personName(person)}</td>
                  <td>{formatCount(person.changes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      )}
    </section>
  );
}

/** The count columns' heads: `Images` for the library, `Uses` for what visitors see. */
function CoverageHeads({ total = 'Images' }: { total?: string }) {
  return (
    <>
      <th scope="col">{total}</th>
      <th scope="col">Alt text</th>
      <th scope="col">Decorative</th>
      <th scope="col">Missing</th>
      <th scope="col">Needs review</th>
      <th scope="col" aria-hidden="true" class="report-bar-head" />
    </>
  );
}

const USE_COUNTS = ['withAlt', 'decorative', 'missing', 'review'] as const;

interface UseRow {
  key: string;
  name: string;
  row: PlaceCoverage | LocaleUseCoverage;
  /** The uses count as a link into the grid, filtered to the place's assets. */
  open?: { label: string; onOpen: () => void };
}

function UseTable({ caption, first, rows }: { caption: string; first: string; rows: UseRow[] }) {
  return (
    <TableBox>
      <table class="report-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <CoverageHeads total="Uses" />
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, name, row, open }) => (
            <tr key={key}>
              <th scope="row">{name}</th>
              <td>
                {open ? (
                  <a
                    href="#assets"
                    aria-label={open.label}
                    onClick={(event) => {
                      event.preventDefault();
                      open.onOpen();
                    }}
                  >
                    {formatCount(row.uses)}
                  </a>
                ) : (
                  formatCount(row.uses)
                )}
              </td>
              {USE_COUNTS.map((count) => (
                <td key={count}>
                  {formatCount(row[count])} <span class="share">{share(row[count], row.uses)}</span>
                </td>
              ))}
              <td aria-hidden="true" class="report-bar-cell">
                <Bar parts={[row.withAlt - row.review, row.review, row.decorative, row.missing]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}

const BAR_PARTS = ['described', 'review', 'decorative', 'missing'] as const;

/** A row's shares as one stacked bar: a picture of the numbers beside it, hidden from screen readers. */
function Bar({ parts }: { parts: number[] }) {
  const whole = parts.reduce((sum, part) => sum + part, 0);
  return (
    <span class="report-bar">
      {whole > 0 && parts.map((part, i) => (part > 0 ? <span key={BAR_PARTS[i]} class={`part ${BAR_PARTS[i]}`} style={{ width: `${(part / whole) * 100}%` }} /> : null))}
    </span>
  );
}

function Legend() {
  return (
    <p class="report-legend" aria-hidden="true">
      <span class="part described" /> Alt text <span class="part review" /> Needs review <span class="part decorative" /> Decorative <span class="part missing" /> Missing
    </p>
  );
}

function nameOfLocale(locales: readonly Locale[], id: string | null | undefined): string {
  const primary = locales.find((locale) => locale.primary);
  if (id === null || id === undefined || id === '' || id === primary?.id) return primary?.displayName ?? 'Primary';
  return locales.find((locale) => locale.id === id)?.displayName ?? id;
}

/**
 * A report table in a box that scrolls sideways where Webflow's narrowest panels (240, 320 px)
 * are too narrow for it; the view itself never does. A table with nothing focusable in it is
 * focusable there (`labelledBy` its caption), so the keyboard can scroll it too.
 */
function TableBox({ labelledBy, children }: { labelledBy?: string; children: ComponentChildren }) {
  return labelledBy ? (
    <div class="report-table-box" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  ) : (
    <div class="report-table-box">{children}</div>
  );
}
