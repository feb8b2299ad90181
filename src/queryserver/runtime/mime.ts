/**
 * Sandbox runtime, part 3: provides()/registerType() and Accept negotiation (PROTOCOL.md §9), a
 * literal port of the reference's Mime and Mimeparse so headers come out byte-identical. The
 * type registry is process-global in the reference (it survives reset), so it lives in the host
 * and is read here as JSON. Runs inside the sandbox (see core.ts for the rules).
 */
export function installMime(rt: any, host: any): void {
  const hostRegisterType = host.registerType;
  const hostMimeTable = host.mimeTable;
  let providesUsed = false;
  let mimeFuns: any[] = [];
  let responseContentType: any = null;

  function strip(s: string): string {
    return s.replace(/^\s+/, "").replace(/\s+$/, "");
  }
  function parseMimeType(mimeType: string): any[] {
    const params: any = {};
    const parts = mimeType.split(";");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i].split("=");
      if (p.length == 2) params[strip(p[0])] = strip(p[1]);
    }
    let fullType = parts[0].replace(/^\s+/, "").replace(/\s+$/, "");
    if (fullType == "*") fullType = "*/*";
    const typeParts = fullType.split("/");
    return [typeParts[0], typeParts[1], params];
  }
  function parseMediaRange(range: string): any[] {
    const parsed = parseMimeType(range);
    if (!parsed[2]["q"]) {
      parsed[2]["q"] = "1";
    } else {
      const q = parseFloat(parsed[2]["q"]);
      if (isNaN(q) || q > 1 || q < 0) parsed[2]["q"] = "1";
    }
    return parsed;
  }
  function fitnessAndQuality(mimeType: string, parsedRanges: any[]): any[] {
    let bestFitness = -1;
    let bestFitQ: any = 0;
    const [targetType, targetSubtype, targetParams] = parseMediaRange(mimeType);
    for (let i = 0; i < parsedRanges.length; i++) {
      const [type, subtype, params] = parsedRanges[i];
      if (
        (type == targetType || type == "*" || targetType == "*") &&
        (subtype == targetSubtype || subtype == "*" || targetSubtype == "*")
      ) {
        let matchCount = 0;
        for (const param in targetParams) {
          if (param != "q" && params[param] && params[param] == targetParams[param]) matchCount += 1;
        }
        const fitness = (type == targetType ? 100 : 0) + (subtype == targetSubtype ? 10 : 0) + matchCount;
        if (fitness > bestFitness) {
          bestFitness = fitness;
          bestFitQ = params["q"];
        }
      }
    }
    return [bestFitness, parseFloat(bestFitQ)];
  }
  function bestMatch(supported: string[], header: string): string {
    const parsedHeader = header.split(",").map(parseMediaRange);
    const weighted: any[] = [];
    for (let i = 0; i < supported.length; i++) {
      weighted.push([fitnessAndQuality(supported[i], parsedHeader), i, supported[i]]);
    }
    // Default (string) sort on purpose: the reference's tie-breaking depends on it.
    weighted.sort();
    return weighted[weighted.length - 1][0][1] ? weighted[weighted.length - 1][2] : "";
  }

  function registerType(key: any, ...mimes: any[]): void {
    rt.callHost(hostRegisterType, String(key), rt.stringify(mimes.map(String)));
  }
  function provides(type: any, fun: any): void {
    providesUsed = true;
    mimeFuns.push([type, fun]);
  }

  rt.resetProvides = function (): void {
    providesUsed = false;
    mimeFuns = [];
    responseContentType = null;
  };
  rt.providesUsed = (): boolean => providesUsed;
  rt.responseContentType = (): any => responseContentType;
  rt.runProvides = function (req: any, ddoc: any): any {
    const table = rt.parse(rt.callHost(hostMimeTable));
    const mimesByKey = table.mimesByKey;
    const keysByMime = table.keysByMime;
    let supportedMimes: string[] = [];
    let bestFun: any;
    let bestKey: any = null;
    const accept = req.headers["Accept"];
    if (req.query && req.query.format) {
      bestKey = req.query.format;
      responseContentType = mimesByKey[bestKey][0];
    } else if (accept) {
      mimeFuns.reverse().forEach((mimeFun: any) => {
        if (mimesByKey[mimeFun[0]]) supportedMimes = supportedMimes.concat(mimesByKey[mimeFun[0]]);
      });
      responseContentType = bestMatch(supportedMimes, accept);
      bestKey = keysByMime[responseContentType];
    } else {
      bestKey = mimeFuns[0][0];
      responseContentType = mimesByKey[bestKey][0];
    }
    if (bestKey) {
      for (let i = 0; i < mimeFuns.length; i++) {
        if (mimeFuns[i][0] == bestKey) {
          bestFun = mimeFuns[i][1];
          break;
        }
      }
    }
    if (bestFun) return bestFun.call(ddoc);
    const supportedTypes = mimeFuns.map((mf: any) => mimesByKey[mf[0]].join(", ") || mf[0]);
    throw [
      "error",
      "not_acceptable",
      "Content-Type " + (accept || bestKey) + " not supported, try one of: " + supportedTypes.join(", "),
    ];
  };
  rt.globals.provides = provides;
  rt.globals.registerType = registerType;
}
