/** Vocabulary for generated prose, drawn from the seed documents' domain (browser QA). */
export const WORDS: readonly string[] = (
  "start firefox with new profile enter private browsing mode tools visit page select share " +
  "location button geolocation request exit type config tab filter ensure nothing preferences " +
  "step open window close reload bookmark history download verify cleared token cache cookie " +
  "session restore menu click toolbar address bar search engine add-on install update restart " +
  "password manager form field submit dialog accept cancel scroll zoom print preview frame " +
  "image video audio plugin flash crash report network proxy offline online sync account " +
  "theme sidebar panel notification permission camera microphone clipboard paste copy select " +
  "text link drag drop keyboard shortcut focus the a an and to of in on for is that when then"
).split(" ");

export const PRODUCTS: readonly string[] = ["Firefox", "Fennec", "Thunderbird", "SeaMonkey"];
export const OPERATING_SYSTEMS: readonly string[] = ["Maemo", "Linux", "Windows", "Mac OS X", "Android"];
export const TEST_AREAS: readonly string[] = [
  "layout/reftests/bugs",
  "layout/reftests/text",
  "layout/reftests/svg",
  "layout/reftests/table-background",
  "layout/reftests/bidi",
  "layout/reftests/counters",
  "layout/reftests/pixel-rounding",
  "layout/reftests/border-radius",
  "content/test/reftest",
  "modules/libpr0n/test/reftest",
];
export const TEST_EXTENSIONS: readonly string[] = ["html", "xhtml", "svg", "xul", "xml", "png"];
