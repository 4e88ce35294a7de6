/* The page of sahel_events.plot.map_html: draws the events of the #map-data JSON.
 *
 * Everything comes from the page itself: Leaflet and Leaflet.markercluster are
 * inlined above, the outlines and events are in #map-data. Popup HTML was
 * escaped by the library; every other text goes in through textContent.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var colors = data.colors;
  document.getElementById("map").style.background = colors.sea;
  document.documentElement.style.setProperty("--country-name", colors.countryName);

  var map = L.map("map", { maxZoom: 14, minZoom: 1, zoomSnap: 0.5, worldCopyJump: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(data.attribution);
  if (data.tiles) {
    // Only when the caller asked for a tile server: the one thing fetched from the network.
    L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 19 }).addTo(map);
  }
  // Three layers, bottom to top: the land, the lines between regions, the
  // country borders (the same outlines as the land, stroked only), each in a
  // pane of its own so the order holds whatever the layer control toggles.
  function pane(name, zIndex) {
    map.createPane(name).style.zIndex = String(zIndex); // tiles are at 200, overlays at 400
    return name;
  }
  L.geoJSON(data.countries, {
    pane: pane("land", 250),
    interactive: false,
    style: { fillColor: colors.land, fillOpacity: data.tiles ? 0.2 : 1, stroke: false },
  }).addTo(map);
  var regions = L.geoJSON(data.regions, {
    pane: pane("regions", 300),
    interactive: false,
    style: { color: colors.region, weight: 1, fill: false },
  }).addTo(map);
  L.geoJSON(data.countries, {
    interactive: false,
    style: { fill: false, color: colors.border, weight: 1 },
  }).addTo(map);

  // Country names, each shown from the zoom at which it fits in its country.
  var names = L.layerGroup();
  data.countryNames.forEach(function (entry) {
    var span = document.createElement("span");
    span.textContent = entry[2];
    var marker = L.marker([entry[0], entry[1]], {
      icon: L.divIcon({ className: "country-name", html: span, iconSize: null }),
      interactive: false,
      keyboard: false,
    });
    marker.minZoom = entry[3];
    names.addLayer(marker);
  });
  function showNames() {
    var zoom = map.getZoom();
    names.eachLayer(function (marker) {
      marker.setOpacity(zoom >= marker.minZoom ? 1 : 0);
    });
  }
  map.on("zoomend", showNames);
  names.on("add", showNames);
  names.addTo(map);

  function eventIcon(color, background, suspect) {
    return L.divIcon({
      className: "event-marker" + (background ? " background" : "") + (suspect ? " suspect" : ""),
      html: '<span class="dot" style="--c:' + color + '"></span>',
      iconSize: [14, 14],
    });
  }

  // A cluster shows its number on a disc ringed by its events' colors, each as wide as its share.
  function clusterIcon(cluster) {
    var children = cluster.getAllChildMarkers();
    var shares = {};
    var order = [];
    children.forEach(function (marker) {
      var color = marker.options.eventColor;
      if (!(color in shares)) {
        shares[color] = 0;
        order.push(color);
      }
      shares[color] += 1;
    });
    order.sort();
    var stops = [];
    var start = 0;
    order.forEach(function (color) {
      var end = start + (360 * shares[color]) / children.length;
      stops.push(color + " " + start.toFixed(1) + "deg " + end.toFixed(1) + "deg");
      start = end;
    });
    var size = Math.round(28 + 8 * Math.log10(children.length));
    var ring = document.createElement("div");
    ring.className = "ring";
    ring.style.background = "conic-gradient(" + stops.join(", ") + ")";
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = String(children.length);
    ring.appendChild(count);
    return L.divIcon({ className: "event-cluster", html: ring, iconSize: [size, size] });
  }

  // Events at one point never separate by zooming: the cluster spiderfies them
  // instead (at once when they all share the point, else at the last zoom).
  var cluster = L.markerClusterGroup({
    maxClusterRadius: 36,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    spiderfyDistanceMultiplier: 1.6,
    iconCreateFunction: clusterIcon,
  });
  var current = [];
  var background = [];
  var suspects = 0;
  data.events.forEach(function (event, index) {
    var kind = data.types[event[2]];
    var color = event[4] ? colors.suspect : kind.color;
    var marker = L.marker([event[0], event[1]], {
      icon: eventIcon(color, event[3], event[4]),
      title: event[6],
      alt: event[6],
      riseOnHover: true,
    });
    marker.options.eventColor = color;
    marker.options.eventIndex = index;
    marker.bindPopup(event[5], { maxWidth: 420, minWidth: 240, autoPanPadding: [24, 24] });
    (event[3] ? background : current).push(marker);
    suspects += event[4];
  });
  cluster.addLayers(current);
  cluster.addLayers(background);
  map.addLayer(cluster);

  // The layer control switches marker sets inside the one cluster group, so
  // that current and background events at one place still cluster together.
  var overlays = {};
  var currentToggle = L.layerGroup().addTo(map);
  overlays["Current events (" + current.length + ")"] = currentToggle;
  var backgroundToggle = L.layerGroup();
  if (background.length) {
    backgroundToggle.addTo(map);
    overlays["Background events (" + background.length + ")"] = backgroundToggle;
  }
  overlays["Country names"] = names;
  if (data.regions.features.length) overlays["Regions (admin-1)"] = regions;
  L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);
  map.on("overlayadd", function (change) {
    if (change.layer === currentToggle) cluster.addLayers(current);
    if (change.layer === backgroundToggle) cluster.addLayers(background);
  });
  map.on("overlayremove", function (change) {
    if (change.layer === currentToggle) cluster.removeLayers(current);
    if (change.layer === backgroundToggle) cluster.removeLayers(background);
  });

  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "legend");
    var heading = L.DomUtil.create("h2", "", box);
    heading.textContent = "Event types";
    var list = L.DomUtil.create("ul", "", box);
    function row(swatchStyle, label, count) {
      var item = L.DomUtil.create("li", "", list);
      var swatch = L.DomUtil.create("span", "swatch", item);
      Object.keys(swatchStyle).forEach(function (key) {
        swatch.style[key] = swatchStyle[key];
      });
      var text = L.DomUtil.create("span", "label", item);
      text.textContent = label;
      if (count !== null) {
        var number = L.DomUtil.create("span", "count", item);
        number.textContent = "(" + count + ")";
      }
    }
    data.types.forEach(function (kind) {
      if (kind.count) row({ background: kind.color }, kind.name, kind.count);
    });
    if (background.length) {
      row({ border: "3px solid #444", background: "#fff" }, "background event (hollow ring)", null);
    }
    if (suspects) {
      row(
        { background: colors.suspect, borderRadius: "2px", transform: "rotate(45deg) scale(.8)" },
        "over " + data.suspectToleranceKm + " km outside its country",
        suspects,
      );
    }
    row(
      { background: "conic-gradient(#888 0 50%, #ccc 50% 100%)", boxShadow: "0 0 0 1px #999" },
      "cluster: number of events, ringed by type; click to open",
      null,
    );
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);
  L.control.scale({ position: "bottomleft" }).addTo(map);

  map.fitBounds(data.bounds, { padding: [24, 24] });
  document.getElementById("map").setAttribute("data-ready", "true");
})();
