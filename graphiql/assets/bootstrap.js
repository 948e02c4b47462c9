// Starts GraphiQL for MKG Graph. It lives in its own file, not inline in the
// page, so the Content-Security-Policy can forbid inline scripts. The GraphQL
// endpoint is read from the page's data-endpoint attribute.
//
// Links: ?query=…&variables=…&operationName=… opens a tab with them (the
// address bar follows the tab being edited, and "Copy link" copies it).
// Headers never go into a link: a key in a shared URL would be a leaked key.
// On a first visit the example tabs (examples.json, one per kind of data)
// are opened. Subscriptions run over a WebSocket (see subscribe).
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  var url = new URL(root.getAttribute('data-endpoint'), window.location.href).href;
  var socketURL = url.replace(/^http/, 'ws');
  var linkParams = ['query', 'variables', 'operationName'];

  // The tab a link asks for, or null.
  function linkedTab() {
    var params = new URLSearchParams(window.location.search);
    if (!params.get('query')) {
      return null;
    }
    return {
      query: params.get('query'),
      variables: params.get('variables') || null,
      operationName: params.get('operationName') || null
    };
  }

  // The link to a tab: the page's address with its query, variables and
  // operation name, nothing else.
  function linkTo(tab) {
    var params = new URLSearchParams();
    linkParams.forEach(function (name) {
      if (tab && tab[name]) {
        params.set(name, tab[name]);
      }
    });
    // An operation name the document no longer has would break the link.
    var op = params.get('operationName');
    if (op && !new RegExp('(query|mutation|subscription)\\s+' + op + '\\b').test(params.get('query') || '')) {
      params.delete('operationName');
    }
    var search = params.toString();
    return window.location.origin + window.location.pathname + (search ? '?' + search : '');
  }

  // The tab GraphiQL restored from its storage, when it has one.
  function storedTab() {
    try {
      var state = JSON.parse(window.localStorage.getItem('graphiql:tabState'));
      return state.tabs[state.activeTabIndex] || null;
    } catch (e) {
      return null;
    }
  }

  // operations lists the operations of a document's text, in order, as
  // {type, name} (name '' when anonymous). It reads what stands at the top
  // level, outside braces and parentheses, once strings and comments are
  // blanked out: enough to find the definitions of a document, which is all
  // it is asked for (GraphiQL parses the document itself, but late: see
  // operationOf).
  function operations(query) {
    var text = (query || '').replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*/g, ' ');
    var token = /[{}()@]|[_A-Za-z][_0-9A-Za-z]*/g;
    var ops = [];
    var braces = 0;
    var parens = 0;
    var between = true; // between definitions: one may start here
    var unnamed = null; // an operation whose name may come next
    var m;
    while ((m = token.exec(text)) !== null) {
      var t = m[0];
      if (t === '(' || t === ')') {
        parens += t === '(' ? 1 : -1;
        unnamed = null;
      } else if (parens > 0) {
        continue;
      } else if (t === '{') {
        if (braces === 0 && between) {
          ops.push({ type: 'query', name: '' }); // the shorthand { … }
        }
        braces++;
        between = false;
        unnamed = null;
      } else if (t === '}') {
        braces--;
        between = braces === 0;
      } else if (braces > 0) {
        continue;
      } else if (unnamed && t !== '@') {
        unnamed.name = t;
        unnamed = null;
      } else if (between && /^(query|mutation|subscription)$/.test(t)) {
        unnamed = { type: t, name: '' };
        ops.push(unnamed);
        between = false;
      } else {
        between = false; // fragment …, or a directive
        unnamed = null;
      }
    }
    return ops;
  }

  // operationOf returns the operation a run executes, or null when the
  // text has none. It reads the text being sent (params.query): GraphiQL
  // parses the editor 100 ms after an edit, and until then its documentAST
  // and operation name are the previous text's, so a run started right
  // after an edit (a paste, then Ctrl-Enter) sent a named query under the
  // previous name, and a subscription over HTTP. A name the text does not
  // define is such a stale one: the text's first operation runs instead,
  // as GraphiQL picks once it has parsed.
  function operationOf(params) {
    var ops = operations(params.query);
    var named = ops.filter(function (op) {
      return op.name === params.operationName;
    });
    return (params.operationName && named[0]) || ops[0] || null;
  }

  // socketError is what the result pane shows when a subscription's
  // connection fails: the close code and the server's reason (4401 a
  // refused key, 4403 a suspended account, 1012 reconnect …).
  function socketError(e) {
    if (Array.isArray(e)) {
      return { errors: e };
    }
    if (e && typeof e.code === 'number') {
      return { errors: [{ message: 'The subscription\'s connection closed: ' + e.code + ' ' + (e.reason || ''),
        extensions: { code: 'CONNECTION_CLOSED', closeCode: e.code } }] };
    }
    return { errors: [{ message: String((e && e.message) || e) }] };
  }

  // subscribe runs one subscription over its own WebSocket
  // (graphql-transport-ws, graphql-ws's client) to the endpoint. The
  // headers editor's JSON (an Authorization: Bearer key) is the
  // connection_init payload: a browser cannot set headers on a WebSocket
  // opening. GraphiQL shows each event as it comes; its stop button
  // unsubscribes, which closes the connection. A refused connection is
  // not retried: the pane shows why.
  function subscribe(params, opts) {
    return {
      subscribe: function (observer) {
        var client = graphqlWs.createClient({
          url: socketURL,
          connectionParams: (opts && opts.headers) || {},
          retryAttempts: 0
        });
        var done = false;
        var finish = function () {
          if (!done) {
            done = true;
            client.dispose();
          }
        };
        var stop = client.subscribe(params, {
          next: function (result) {
            observer.next(result);
          },
          error: function (e) {
            observer.next(socketError(e));
            finish();
            observer.complete();
          },
          complete: function () {
            finish();
            observer.complete();
          }
        });
        return {
          unsubscribe: function () {
            stop();
            finish();
          }
        };
      }
    };
  }

  // fetcher sends queries and mutations over HTTP (GraphiQL's own fetcher)
  // and subscriptions over a WebSocket, each under the name of the
  // operation it runs (see operationOf).
  function fetcher() {
    var http = GraphiQL.createFetcher({ url: url });
    return function (params, opts) {
      var op = operationOf(params);
      if (!op) {
        return http(params, opts); // the server says what is wrong with the text
      }
      var sent = Object.assign({}, params, { operationName: op.name || null });
      return op.type === 'subscription' ? subscribe(sent, opts) : http(sent, opts);
    };
  }

  function start(examples) {
    var linked = linkedTab();
    var tabs = examples.map(function (e) {
      return { query: e.query, variables: e.variables || null };
    });
    if (linked) {
      tabs.unshift({ query: linked.query, variables: linked.variables });
    }
    var current = linked || storedTab() || tabs[0] || null;

    function follow(tab) {
      current = tab;
      window.history.replaceState(null, '', linkTo(tab));
    }

    // The text of a CodeMirror editor in the page, or null.
    function editorText(selector, index) {
      var el = document.querySelectorAll(selector)[index || 0];
      return el && el.CodeMirror ? el.CodeMirror.getValue() : null;
    }

    function copyLink(event) {
      // What the editors hold now (GraphiQL tells of edits after a delay):
      // the query, and the variables, the first of the tools' editors.
      var query = editorText('.graphiql-query-editor .CodeMirror');
      var variables = editorText('.graphiql-editor-tool .graphiql-editor .CodeMirror', 0);
      if (query !== null) {
        follow({ query: query, variables: variables, operationName: current && current.operationName });
      }
      var link = linkTo(current);
      var button = event.currentTarget;
      var done = function (label) {
        button.setAttribute('data-copied', label);
        button.title = label;
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(function () {
          done('Link copied');
        }, function () {
          window.prompt('Copy this link (headers are not in it):', link);
          done('Link shown');
        });
      } else {
        window.prompt('Copy this link (headers are not in it):', link);
        done('Link shown');
      }
    }

    var linkIcon = React.createElement('svg', {
      className: 'graphiql-toolbar-icon', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor',
      strokeWidth: 1.5, 'aria-hidden': 'true'
    },
    React.createElement('path', { d: 'M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1' }),
    React.createElement('path', { d: 'M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1' }));

    var toolbar = React.createElement(GraphiQL.Toolbar, null, function (defaults) {
      return React.createElement(React.Fragment, null, defaults.prettify, defaults.merge, defaults.copy,
        React.createElement('button', {
          type: 'button', className: 'graphiql-toolbar-button mkg-copy-link',
          'aria-label': 'Copy link to this query (without headers)', title: 'Copy link to this query (without headers)',
          onClick: copyLink
        }, linkIcon));
    });

    var props = {
      fetcher: fetcher(),
      defaultQuery: tabs.length ? tabs[0].query : '{ latestEarthquake { originTime magnitude region } }\n',
      defaultTabs: tabs.length ? tabs : undefined,
      // The query builder: the schema as a tree of check boxes.
      plugins: window.GraphiQLPluginExplorer ? [GraphiQLPluginExplorer.explorerPlugin()] : [],
      isHeadersEditorEnabled: true,
      // Headers typed in the editor (an Authorization: Bearer key) are not
      // written to localStorage unless the user turns this on in settings.
      shouldPersistHeaders: false,
      onTabChange: function (state) {
        var tab = state.tabs[state.activeTabIndex];
        if (tab) {
          follow({ query: tab.query, variables: tab.variables, operationName: tab.operationName });
        }
      },
      onEditQuery: function (query) {
        follow({ query: query, variables: current && current.variables, operationName: current && current.operationName });
      },
      onEditVariables: function (variables) {
        follow({ query: current && current.query, variables: variables, operationName: current && current.operationName });
      },
      onEditOperationName: function (name) {
        follow({ query: current && current.query, variables: current && current.variables, operationName: name });
      }
    };
    if (linked) {
      // With tabs in storage already, GraphiQL opens (or finds) a tab with
      // these; without, the linked tab is the first of defaultTabs.
      props.query = linked.query;
      props.variables = linked.variables || undefined;
      props.operationName = linked.operationName || undefined;
    }
    ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props, toolbar));
  }

  fetch('assets/examples.json').then(function (r) {
    return r.ok ? r.json() : [];
  }).then(start, function () {
    start([]);
  });
})();
