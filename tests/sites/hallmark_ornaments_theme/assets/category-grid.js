(function () {
  var block = document.getElementById('catalogGrid');
  var params = new URLSearchParams(window.location.search);
  var page = params.get('page') || '1';
  function money(v) { return '$' + Number(v).toLocaleString('en-US', {minimumFractionDigits: 2}); }
  window.setTimeout(function () {
    fetch('/assets/category/items_' + block.dataset.catid + '_' + page + '.json')
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var html = '';
        data.items.forEach(function (it) {
          html += '<div class="prod-card card-' + it.catalogid + '" data-catalogid="' + it.catalogid + '">'
            + '<div class="prod-card__img"><a href="product.asp?itemid=' + it.catalogid + '">'
            + (it.image ? '<img src="' + it.image + '" alt="">' : '<img src="assets/images/default/nophoto.gif" alt="">')
            + '</a></div><div class="prod-card__title"><a href="product.asp?itemid=' + it.catalogid + '">' + it.name + '</a></div>'
            + '<div class="prod-card__price">' + (it.retailprice ? '<span class="retail">' + money(it.retailprice) + '</span> ' : '')
            + money(it.price) + '</div></div>';
        });
        block.innerHTML = html || '<div class="no-results">No items found in this category.</div>';
        if (data.next) {
          document.getElementById('pager').innerHTML =
            '<a class="pager__next" href="' + window.location.pathname + '?viewall=1&page=' + data.next + '">Next Page</a>';
        }
      });
  }, 150);
})();
