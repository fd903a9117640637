class CreateProducts < ActiveRecord::Migration[7.2]
  def change
    create_table :products do |t|
      t.string :name, null: false
      t.timestamps
    end
    create_table :product_tags do |t|
      t.references :product, null: false, foreign_key: true
      t.string :tag, null: false
    end
    add_index :product_tags, [:product_id, :tag], unique: true
    add_index :product_tags, :tag
  end
end
