// Starts GraphiQL for MKG Graph. It lives in its own file, not inline in the
// page, so the Content-Security-Policy can forbid inline scripts. The GraphQL
// endpoint is read from the page's data-endpoint attribute.
(function () {
  'use strict';

  var defaultQuery = [
    '# MKG Graph: BMKG meteorology, climatology and geophysics data.',
    '# Press the run button (or Ctrl-Enter) to send this query;',
    '# the Docs button (top left) describes every type and field.',
    '{',
    '  stations(first: 5) {',
    '    totalCount',
    '    edges { node { id wmoIndex name latitude longitude } }',
    '  }',
    '  latestEarthquake { originTime magnitude depth region }',
    '}',
    ''
  ].join('\n');

  var root = document.getElementById('graphiql');
  var url = new URL(root.getAttribute('data-endpoint'), window.location.href).href;

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: url }),
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      // Headers typed in the editor (an Authorization: Bearer key) are not
      // written to localStorage unless the user turns this on in settings.
      shouldPersistHeaders: false
    })
  );
})();
