/** The calendar day (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDay(instant: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** One formatter per zone (a few hundred exist): creating one costs far more than using it. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
