// One-shot join for docker-compose.cluster.yml, with CouchDB's own API: the other nodes are
// added to the first node's _nodes database, then _cluster_setup finish_cluster creates the
// system databases. The same calls as `couchbench run --nodes` (src/couch/cluster-setup.ts).
const { COUCHDB_USER: user, COUCHDB_PASSWORD: password, NODES: nodes } = process.env;
const hosts = nodes.split(",");
const auth = {
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
  "content-type": "application/json",
};
const url = (host, path) => `http://${host}:5984/${path}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const host of hosts) {
  while (
    !(await fetch(url(host, "_up")).then(
      (r) => r.ok,
      () => false,
    ))
  )
    await sleep(1000);
}
for (const host of hosts.slice(1)) {
  const response = await fetch(url(hosts[0], `_node/_local/_nodes/couchdb@${host}`), {
    method: "PUT",
    headers: auth,
    body: "{}",
  });
  if (!response.ok && response.status !== 409)
    throw new Error(`adding ${host}: ${response.status} ${await response.text()}`);
}
const finished = await fetch(url(hosts[0], "_cluster_setup"), {
  method: "POST",
  headers: auth,
  body: JSON.stringify({ action: "finish_cluster" }),
});
console.log("finish_cluster:", finished.status, await finished.text());
console.log("membership:", await (await fetch(url(hosts[0], "_membership"), { headers: auth })).text());
