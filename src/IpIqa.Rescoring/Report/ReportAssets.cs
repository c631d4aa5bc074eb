namespace IpIqa.Rescoring;

/// <summary>The report's inline stylesheet and chart script (plain SVG, no libraries, no network).</summary>
internal static class ReportAssets
{
    public const string Css = """
        body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fff}
        .charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
        .chart{width:420px;height:220px;border:1px solid #ddd;background:#fafafa}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
        .worst{display:flex;flex-wrap:wrap;gap:12px}.thumb{width:180px;font-size:12px}.thumb img{max-width:160px;max-height:160px;display:block}
        .note{color:#666;font-size:12px}
        """;

    public const string Script = """
        (function(){
          var d=JSON.parse(document.getElementById('scores').textContent);
          var NS='http://www.w3.org/2000/svg',W=420,H=220,P=28;
          function el(svg,name,attrs){var e=document.createElementNS(NS,name);for(var k in attrs){e.setAttribute(k,attrs[k]);}svg.appendChild(e);return e;}
          function range(a,b){var all=a.concat(b||[]).filter(function(v){return v!==null;});if(!all.length){return [0,1];}
            var lo=Math.min.apply(null,all),hi=Math.max.apply(null,all);if(hi===lo){hi=lo+1;}return [lo,hi];}
          function axes(svg,r,label){el(svg,'line',{x1:P,y1:H-P,x2:W-8,y2:H-P,stroke:'#444'});el(svg,'line',{x1:P,y1:8,x2:P,y2:H-P,stroke:'#444'});
            var t=el(svg,'text',{x:P,y:H-8,'font-size':10});t.textContent=r[0].toFixed(3);
            t=el(svg,'text',{x:W-60,y:H-8,'font-size':10});t.textContent=r[1].toFixed(3);
            if(label){t=el(svg,'text',{x:W/2-20,y:H-8,'font-size':10});t.textContent=label;}}
          function bins(values,r,n){var c=new Array(n).fill(0);values.forEach(function(v){if(v===null){return;}
            var i=Math.floor((v-r[0])/(r[1]-r[0])*n);c[Math.max(0,Math.min(n-1,i))]++;});return c;}
          function hist(id,now,then){var svg=document.getElementById(id),n=24,r=range(now,then);
            var a=bins(now,r,n),b=then?bins(then,r,n):null,fa=now.length||1,fb=then&&then.length||1;
            var top=Math.max.apply(null,a.map(function(v){return v/fa;}).concat(b?b.map(function(v){return v/fb;}):[]))||1;
            var bw=(W-P-8)/n;
            function draw(c,f,fill,op){c.forEach(function(v,i){var h=(v/f)/top*(H-P-12);
              el(svg,'rect',{x:P+i*bw+1,y:H-P-h,width:bw-2,height:h,fill:fill,'fill-opacity':op,'class':'bar'});});}
            if(b){draw(b,fb,'#888',0.45);}draw(a,fa,'#2a6fdb',0.75);axes(svg,r,'');svg.setAttribute('data-rendered','true');}
          function scatter(){var svg=document.getElementById('scatter'),rq=range(d.q),ra=range(d.a);
            d.q.forEach(function(q,i){var a=d.a[i];if(q===null||a===null){return;}
              el(svg,'circle',{cx:P+(q-rq[0])/(rq[1]-rq[0])*(W-P-12)+2,cy:H-P-(a-ra[0])/(ra[1]-ra[0])*(H-P-12)-2,r:2,fill:'#d2452b','fill-opacity':0.6,'class':'dot'});});
            axes(svg,rq,'quality \u2192, alignment \u2191');svg.setAttribute('data-rendered','true');}
          hist('hist-quality',d.q,d.pq);hist('hist-alignment',d.a,d.pa);scatter();
          document.body.setAttribute('data-rendered','true');
        })();
        """;
}
