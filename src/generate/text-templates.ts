/**
 * Open text for the fictional organisation's feedback: per topic, phrases in Dutch and English for a good
 * and a bad experience, joined in random order with connectors, with negations and the odd typo, so that
 * text mining later finds the planted topics and tone and not one fixed sentence per case.
 */
import type { Rng } from "../stats/rng.js";

type Phrases = { readonly pos: readonly string[]; readonly neg: readonly string[] };
type Topic = { readonly nl: Phrases; readonly en: Phrases };

const TOPICS: Readonly<Record<string, Topic>> = {
  tarief: {
    nl: {
      pos: ["het tarief is duidelijk", "goede prijs voor stroom en gas", "de tarieven zijn eerlijk"],
      neg: ["het tarief is veel te hoog", "de prijs is niet duidelijk", "tarieven stijgen steeds weer"],
    },
    en: {
      pos: ["the rate is clear", "fair price for power and gas"],
      neg: ["the rate is far too high", "prices keep going up"],
    },
  },
  uitleg: {
    nl: {
      pos: ["duidelijke uitleg gekregen", "de medewerker legde alles goed uit"],
      neg: ["geen duidelijke uitleg", "ik snap de uitleg nog steeds niet", "niemand kon het uitleggen"],
    },
    en: {
      pos: ["got a clear explanation", "the agent explained everything"],
      neg: ["no clear explanation", "still do not understand it"],
    },
  },
  aanmelden: {
    nl: {
      pos: ["aanmelden ging snel", "binnen vijf minuten aangemeld"],
      neg: ["aanmelden lukte niet online", "het formulier gaf steeds een fout"],
    },
    en: { pos: ["signing up was quick"], neg: ["could not sign up online", "the form kept failing"] },
  },
  welkom: {
    nl: {
      pos: ["fijne welkomstmail", "goed ontvangen als nieuwe klant"],
      neg: ["geen bevestiging ontvangen", "niets meer gehoord na aanmelden"],
    },
    en: { pos: ["nice welcome email"], neg: ["never got a confirmation"] },
  },
  overstap: {
    nl: {
      pos: ["overstappen was makkelijk", "de overstap regelden jullie helemaal"],
      neg: ["de overstap duurde veel te lang", "dubbel betaald bij de overstap"],
    },
    en: { pos: ["switching was easy"], neg: ["the switch took far too long"] },
  },
  startdatum: {
    nl: { pos: ["startdatum klopte precies"], neg: ["verkeerde startdatum", "startdatum niet doorgegeven"] },
    en: { pos: ["start date was right"], neg: ["wrong start date"] },
  },
  meterstand: {
    nl: {
      pos: ["meterstand doorgeven was zo gedaan", "meterstand snel ingevoerd"],
      neg: [
        "meterstand invoeren lukt niet",
        "de site accepteert mijn meterstand niet",
        "foutmelding bij meterstand doorgeven",
      ],
    },
    en: {
      pos: ["submitting my meter reading was easy"],
      neg: ["the site would not accept my meter reading", "error when entering the meter reading"],
    },
  },
  app: {
    nl: {
      pos: ["de app werkt prima", "handige app"],
      neg: ["de app werkt niet", "app loopt steeds vast", "inloggen in de app lukt niet"],
    },
    en: { pos: ["the app works fine"], neg: ["the app does not work", "the app keeps crashing"] },
  },
  storing: {
    nl: {
      pos: ["storing snel verholpen", "binnen een uur weer stroom"],
      neg: ["storing duurde uren", "geen informatie over de storing", "storing nog steeds niet opgelost"],
    },
    en: {
      pos: ["outage fixed quickly"],
      neg: ["the outage lasted hours", "no information about the outage"],
    },
  },
  monteur: {
    nl: {
      pos: ["de monteur was vriendelijk", "monteur kwam op tijd"],
      neg: ["monteur kwam niet opdagen", "monteur wist niet wat hij moest doen"],
    },
    en: { pos: ["the engineer was friendly"], neg: ["the engineer never showed up"] },
  },
  wachttijd: {
    nl: {
      pos: ["kort gewacht", "snel geholpen"],
      neg: ["lang gewacht aan de telefoon", "een half uur in de wacht", "veel te lange wachttijd"],
    },
    en: {
      pos: ["hardly had to wait", "helped quickly"],
      neg: ["waited ages on the phone", "on hold for half an hour"],
    },
  },
  factuur: {
    nl: {
      pos: ["de jaarafrekening klopt", "factuur was duidelijk"],
      neg: ["de jaarafrekening is te hoog", "factuur klopt niet", "onverwacht hoge naheffing"],
    },
    en: { pos: ["the annual bill is correct"], neg: ["the annual bill is too high", "the invoice is wrong"] },
  },
  termijnbedrag: {
    nl: {
      pos: ["termijnbedrag makkelijk aangepast"],
      neg: ["termijnbedrag aanpassen lukt niet online", "termijnbedrag is niet gewijzigd"],
    },
    en: { pos: ["changed my monthly amount easily"], neg: ["could not change the monthly amount online"] },
  },
  betaling: {
    nl: {
      pos: ["er werd meegedacht over de betaling", "goede betalingsregeling"],
      neg: ["geen betalingsregeling mogelijk", "direct een incassobureau ingeschakeld"],
    },
    en: { pos: ["they helped with a payment plan"], neg: ["no payment plan possible"] },
  },
  verhuizing: {
    nl: {
      pos: ["verhuizing goed geregeld"],
      neg: ["verhuizing niet verwerkt", "na de verhuizing nog op het oude adres gefactureerd"],
    },
    en: { pos: ["the move was handled well"], neg: ["my move was not processed"] },
  },
  contract: {
    nl: {
      pos: ["contract verlengen ging vlot", "goed aanbod bij verlengen"],
      neg: ["verlengen was onduidelijk", "slecht aanbod voor bestaande klanten"],
    },
    en: { pos: ["renewing was smooth"], neg: ["a poor offer for loyal customers"] },
  },
  opzeggen: {
    nl: {
      pos: ["opzeggen was netjes geregeld"],
      neg: ["opzeggen werd moeilijk gemaakt", "moest drie keer bellen om op te zeggen"],
    },
    en: { pos: ["cancelling was easy"], neg: ["they made cancelling hard"] },
  },
  eindafrekening: {
    nl: {
      pos: ["eindafrekening snel ontvangen"],
      neg: ["eindafrekening klopt niet", "wacht nog steeds op de eindafrekening"],
    },
    en: { pos: ["final bill came quickly"], neg: ["still waiting for the final bill"] },
  },
};

const OPENERS = {
  nl: {
    pos: ["Prima geholpen.", "Top!", "Tevreden.", "", "Goed geregeld."],
    neg: ["Slecht.", "Niet tevreden.", "Teleurgesteld.", "", "Echt niet goed."],
  },
  en: { pos: ["Great service.", "Happy.", ""], neg: ["Disappointed.", "Not happy.", ""] },
};
const CONNECTORS = { nl: [", ", " en ", ". ", ", maar ook "], en: [", ", " and ", ". "] };
const REPEAT = {
  nl: ["ik moest meerdere keren bellen", "niet geholpen bij het eerste contact", "ik kreeg geen antwoord"],
  en: ["had to call several times", "not helpful the first time", "never got an answer"],
};

export const PLANTED_TOPICS: readonly string[] = Object.keys(TOPICS);

function typo(rng: Rng, s: string): string {
  if (s.length < 8 || !rng.chance(0.12)) return s;
  const i = rng.int(1, s.length - 3);
  return rng.chance(0.5) ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s.slice(0, i) + s.slice(i + 1);
}

/**
 * Open text about a reason's topics. `tone` in [0, 1]: the chance each phrase is positive.
 * `repeated`: the job needed more than one contact, which customers tend to mention.
 */
export function feedbackText(
  rng: Rng,
  lang: "nl" | "en",
  topics: readonly string[],
  tone: number,
  repeated: boolean,
): string {
  const phrases: string[] = [];
  const n = rng.int(1, Math.min(3, topics.length + 1));
  for (let i = 0; i < n; i++) {
    const topic = TOPICS[rng.pick(topics)];
    if (!topic) continue;
    const p = topic[lang];
    phrases.push(rng.pick(rng.chance(tone) ? p.pos : p.neg));
  }
  if (repeated && rng.chance(0.6)) phrases.push(rng.pick(REPEAT[lang]));
  let text = phrases[0] ?? "";
  for (let i = 1; i < phrases.length; i++) text += rng.pick(CONNECTORS[lang]) + phrases[i];
  const opener = rng.pick(OPENERS[lang][tone >= 0.5 ? "pos" : "neg"]);
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return typo(rng, `${opener ? `${opener} ` : ""}${text}${rng.chance(0.3) ? "!" : "."}`);
}
